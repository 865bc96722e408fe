import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { startControlPlane, waitUntil, type ControlPlane } from '../../../sdk/testing/index.ts';
import { OperatorProcess } from '../../support/operator-process.ts';

const LEASE_MS = 4_000;
const RETRY_MS = 500;

describe('leader election between two manager processes', () => {
  let plane: ControlPlane;
  let client: Client;
  const operators: OperatorProcess[] = [];

  before(async () => {
    plane = await startControlPlane();
    client = await Client.fromKubeConfig(plane.kubeConfig());
    await client.resource(kinds.Namespace).create({ metadata: { name: 'le' } });
  });
  after(async () => {
    for (const operator of operators) operator.child.kill('SIGKILL');
    await Promise.all(operators.map((o) => o.exited));
    client.close();
    await plane.stop();
  });

  it('lets exactly one reconcile, hands over within the lease duration when the leader is killed, and never shows two leaders', async () => {
    const env = (id: string) => ({
      KUBECONFIG: plane.kubeconfigPath,
      OPERATOR_ID: id,
      NAMESPACE: 'le',
      LEASE_NAME: 'configmap-operator',
      LEASE_DURATION_MS: String(LEASE_MS),
      RENEW_DEADLINE_MS: '3000',
      RETRY_PERIOD_MS: String(RETRY_MS),
    });
    const a = new OperatorProcess(env('op-a'));
    const b = new OperatorProcess(env('op-b'));
    operators.push(a, b);
    const ports = [await a.metricsPort(), await b.metricsPort()] as const;

    // Watch both processes' leader gauges for the whole test: never two leaders at once.
    let observations = 0;
    let doubleLeader = false;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const states = await Promise.all(
          [a, b].map((op, i) =>
            op.child.exitCode === null && op.child.signalCode === null
              ? op.isLeader(ports[i] ?? 0).catch(() => false)
              : Promise.resolve(false),
          ),
        );
        observations++;
        if (states.every(Boolean)) doubleLeader = true;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    const maps = client.resource(kinds.ConfigMap);
    await maps.create({ metadata: { name: 'first', namespace: 'le' } });
    const leader = await waitUntil(() => [a, b].find((op) => op.reconciled('first')), {
      what: 'a leader to reconcile',
      timeoutMs: 60_000,
    });
    const follower = leader === a ? b : a;
    await maps.create({ metadata: { name: 'second', namespace: 'le' } });
    await waitUntil(() => leader.reconciled('second'), {
      what: 'the leader to reconcile again',
      timeoutMs: 30_000,
    });
    assert.equal(
      follower.reports.filter((r) => r.event.startsWith('reconcile')).length,
      0,
      'the follower reconciles nothing',
    );

    leader.child.kill('SIGKILL');
    const killedAt = Date.now();
    await leader.exited;
    await maps.create({ metadata: { name: 'third', namespace: 'le' } });
    await waitUntil(() => follower.reconciled('third'), {
      what: 'the follower to take over',
      timeoutMs: 60_000,
    });
    const lease = await client.resource(kinds.Lease).get({ namespace: 'le', name: 'configmap-operator' });
    assert.equal(lease.spec?.holderIdentity, follower === a ? 'op-a' : 'op-b');
    assert.equal(lease.spec?.leaseTransitions, 1);
    const takeover = (follower.reports.find((r) => r.event === 'reconcile-start')?.at ?? Infinity) - killedAt;
    // The follower may take the lease once it has seen no renewal for a lease duration, then it
    // waits up to one retry period (plus 20 % jitter) before trying.
    assert.ok(takeover <= LEASE_MS + 2 * RETRY_MS + 1_000, `took ${takeover} ms to take over`);

    watching = false;
    await watcher;
    assert.ok(observations > 10, `only ${observations} observations`);
    assert.equal(doubleLeader, false, 'two processes reported leadership at the same observation');
  });
});
