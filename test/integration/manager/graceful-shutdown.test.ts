import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { startControlPlane, waitUntil, type ControlPlane } from '../../../sdk/testing/index.ts';
import { OperatorProcess } from '../../support/operator-process.ts';

describe('graceful shutdown', () => {
  let plane: ControlPlane;
  let client: Client;
  before(async () => {
    plane = await startControlPlane();
    client = await Client.fromKubeConfig(plane.kubeConfig());
    await client.resource(kinds.Namespace).create({ metadata: { name: 'gs' } });
  });
  after(async () => {
    client.close();
    await plane.stop();
  });

  it('on SIGTERM lets the running reconcile finish, releases the lease, and exits 0 within the deadline', async () => {
    const operator = new OperatorProcess({
      KUBECONFIG: plane.kubeconfigPath,
      OPERATOR_ID: 'slow',
      NAMESPACE: 'gs',
      RECONCILE_DELAY_MS: '3000',
      GRACEFUL_SHUTDOWN_MS: '20000',
      LEASE_NAME: 'slow-operator',
    });
    try {
      await operator.metricsPort();
      await client.resource(kinds.ConfigMap).create({ metadata: { name: 'slow-one', namespace: 'gs' } });
      await waitUntil(
        () => operator.reports.some((r) => r.event === 'reconcile-start' && r.name === 'slow-one'),
        {
          what: 'the slow reconcile to start',
          timeoutMs: 60_000,
        },
      );
      assert.equal(operator.reconciled('slow-one'), false);
      operator.child.kill('SIGTERM');
      const exit = await operator.exited;
      assert.deepEqual(exit, { code: 0, signal: null }, `stderr:\n${operator.stderr}`);
      assert.ok(operator.reconciled('slow-one'), 'the in-flight reconcile finished before exit');
      const cm = await client.resource(kinds.ConfigMap).get({ namespace: 'gs', name: 'slow-one' });
      assert.equal(cm.metadata?.annotations?.['reconciled-by'], 'slow');
      const lease = await client.resource(kinds.Lease).get({ namespace: 'gs', name: 'slow-operator' });
      assert.equal(lease.spec?.holderIdentity ?? '', '', 'the lease was released for a successor');
    } finally {
      operator.child.kill('SIGKILL');
    }
  });
});
