// The StatefulSet operator as deployed (operators/statefulset/main.ts in its own process), killed
// with SIGKILL in the middle of a rolling update of a set whose claims are deleted with it: the
// restarted operator finishes the rollout without losing or recreating a claim, and each pod is
// replaced exactly once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { startControlPlane, waitUntil, type ControlPlane } from '../../../sdk/testing/index.ts';
import { API_VERSION, type StatefulSet } from '../../../operators/statefulset/api/types.ts';
import { statefulSetKind } from '../../../operators/statefulset/kinds.ts';
import { installGeneratedCrds } from '../../support/install-crds.ts';
import { startOperatorMain, type OperatorMainProcess } from '../../support/operator-main-process.ts';

const NAMESPACE = 'default';
const labels = { app: 'db' };
const REPLICAS = 4;

describe('StatefulSet operator killed mid-rollout', () => {
  let plane: ControlPlane;
  let client: Client;
  const operators: OperatorMainProcess[] = [];
  const start = () => {
    const operator = startOperatorMain('statefulset', {
      env: { KUBECONFIG: plane.kubeconfigPath, POD_NAMESPACE: NAMESPACE, LOG_LEVEL: 'info' },
      abortOn: { pattern: /"level":(50|60)/, reason: 'the operator logged an error' },
    });
    operators.push(operator);
    return operator;
  };

  before(async () => {
    plane = await startControlPlane({ tier: 'full', nodes: 1 });
    client = await Client.fromKubeConfig(plane.kubeConfig());
    await installGeneratedCrds(client);
  });
  after(async () => {
    for (const operator of operators) operator.kill();
    client.close();
    await plane.stop();
  });

  it('keeps every claim and replaces each pod once across a SIGKILL and restart', async () => {
    const sets = client.resource(statefulSetKind);
    const pods = client.resource(kinds.Pod);
    const claims = client.resource(kinds.PersistentVolumeClaim);
    const getSet = () => sets.get({ namespace: NAMESPACE, name: 'db' });
    const listClaims = async () =>
      (await claims.list({ namespace: NAMESPACE })).items.sort((a, b) =>
        (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''),
      );
    const describeClaim = (c: V1PersistentVolumeClaim) => ({
      name: c.metadata?.name,
      uid: c.metadata?.uid,
      phase: c.status?.phase,
      controller: c.metadata?.ownerReferences?.find((ref) => ref.controller)?.kind,
      deleting: c.metadata?.deletionTimestamp !== undefined,
    });

    // Every pod creation, from a watch: a pod created twice for one update would show here.
    const created = new Map<string, number>();
    const listed = await pods.list({ namespace: NAMESPACE });
    const subscription = pods
      .watch({ namespace: NAMESPACE, resourceVersion: listed.resourceVersion })
      .subscribe({
        next: (event) => {
          if (event.type !== 'ADDED') return;
          const name = event.object.metadata?.name ?? '';
          created.set(name, (created.get(name) ?? 0) + 1);
        },
      });

    let operator = start();
    const set = await sets.create({
      apiVersion: API_VERSION,
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: NAMESPACE },
      spec: {
        replicas: REPLICAS,
        serviceName: 'db',
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [{ name: 'db', image: 'db:1', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        ],
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' },
      } satisfies StatefulSet['spec'],
    });
    await waitUntil(
      async () => {
        const status = (await getSet()).status;
        const bound = (await listClaims()).filter((c) => c.status?.phase === 'Bound');
        return status?.readyReplicas === REPLICAS && bound.length === REPLICAS;
      },
      { what: `${REPLICAS} ready pods with bound claims`, timeoutMs: 90_000, signal: operator.signal },
    );
    const claimsBefore = (await listClaims()).map(describeClaim);
    assert.deepEqual(
      claimsBefore.map((c) => [c.name, c.phase, c.controller, c.deleting]),
      Array.from({ length: REPLICAS }, (_, i) => [`data-db-${i}`, 'Bound', 'StatefulSet', false]),
    );

    // A new template: pods are replaced from the top, one at a time. Kill the operator once the
    // first replacement is running and the rollout is still under way.
    const current = await getSet();
    await sets.update({
      ...current,
      spec: {
        ...current.spec,
        template: {
          metadata: { labels },
          spec: {
            containers: [{ name: 'db', image: 'db:2', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
          },
        },
      },
    });
    await waitUntil(
      async () => {
        const status = (await getSet()).status;
        return (status?.updatedReplicas ?? 0) >= 1 && (status?.updatedReplicas ?? 0) < REPLICAS - 1;
      },
      {
        what: 'the rolling update to be under way',
        timeoutMs: 60_000,
        intervalMs: 20,
        signal: operator.signal,
      },
    );
    operator.kill();
    const updatedAtKill = (await getSet()).status?.updatedReplicas ?? 0;

    operator = start();
    const done = await waitUntil(
      async () => {
        const s = await getSet();
        return s.status?.observedGeneration === s.metadata?.generation &&
          s.status?.updatedReplicas === REPLICAS &&
          s.status.readyReplicas === REPLICAS &&
          s.status.currentRevision === s.status.updateRevision
          ? s
          : undefined;
      },
      // The new process waits for the killed one's lease to expire first.
      { what: 'the restarted operator to finish the rollout', timeoutMs: 120_000, signal: operator.signal },
    );
    assert.ok(updatedAtKill < REPLICAS, `killed mid-rollout (${updatedAtKill} of ${REPLICAS} updated)`);
    assert.equal(done.metadata?.uid, set.metadata?.uid);
    assert.deepEqual(
      (await listClaims()).map(describeClaim),
      claimsBefore,
      'the same claims, bound, still the set’s',
    );

    // Each pod: created once, and replaced once by the update.
    await waitUntil(() => [...created.values()].reduce((a, b) => a + b, 0) >= 2 * REPLICAS, {
      what: 'the watch to report every creation',
      timeoutMs: 10_000,
    });
    subscription.unsubscribe();
    assert.deepEqual(
      Object.fromEntries([...created].sort()),
      Object.fromEntries(Array.from({ length: REPLICAS }, (_, i) => [`db-${i}`, 2])),
    );

    // Scaled down after the restart, the condemned replicas' claims go with them; the rest stay.
    await sets.scale({ namespace: NAMESPACE, name: 'db' }, 2);
    await waitUntil(
      async () => (await listClaims()).length === 2 && (await getSet()).status?.replicas === 2,
      {
        what: 'db-2, db-3 and their claims to be deleted',
        timeoutMs: 60_000,
        signal: operator.signal,
      },
    );
    assert.deepEqual((await listClaims()).map(describeClaim), claimsBefore.slice(0, 2));
  });
});
