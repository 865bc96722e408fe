// Drop-in mode: our workload controllers reconcile the built-in apps/v1 kinds on a cluster whose
// kube-controller-manager runs without its Deployment, ReplicaSet and StatefulSet controllers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { V1Deployment, V1StatefulSet } from '@kubernetes/client-node';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { waitUntil } from '../../../sdk/testing/index.ts';
import { setupDropIn } from '../../../operators/drop-in.ts';
import { startOperatorEnvironment, type OperatorEnvironment } from '../../support/operator-environment.ts';

const NAMESPACE = 'default';
const REVISION = 'deployment.kubernetes.io/revision';

describe('drop-in mode: apps/v1 reconciled by our controllers', () => {
  let env: OperatorEnvironment;

  before(async () => {
    env = await startOperatorEnvironment({
      plane: {
        tier: 'full',
        nodes: 2,
        controllerManagerArgs: ['--controllers=*,-deployment,-replicaset,-statefulset'],
      },
      setup: setupDropIn,
    });
  });
  after(async () => {
    await env.stop();
  });

  it('rolls out an apps/v1 Deployment through apps/v1 ReplicaSets', async () => {
    const deployments = env.client.resource(kinds.Deployment);
    const labels = { app: 'web' };
    const template = (image: string) => ({
      metadata: { labels },
      spec: { containers: [{ name: 'web', image }] },
    });
    await deployments.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: NAMESPACE },
      spec: { replicas: 3, selector: { matchLabels: labels }, template: template('web:1') },
    });
    const complete = (revision: string) => async (): Promise<V1Deployment | undefined> => {
      const d = await deployments.get({ namespace: NAMESPACE, name: 'web' });
      const s = d.status ?? {};
      return d.metadata?.annotations?.[REVISION] === revision &&
        s.observedGeneration === d.metadata.generation &&
        s.updatedReplicas === 3 &&
        s.availableReplicas === 3 &&
        s.replicas === 3 &&
        s.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'NewReplicaSetAvailable')
        ? d
        : undefined;
    };
    const first = await waitUntil(complete('1'), { what: 'revision 1 complete', timeoutMs: 60_000 });
    const current = await deployments.get({ namespace: NAMESPACE, name: 'web' });
    await deployments.update({
      ...current,
      spec: { ...current.spec, template: template('web:2') },
    } as V1Deployment);
    await waitUntil(complete('2'), { what: 'revision 2 complete', timeoutMs: 60_000 });

    const sets = (await env.client.resource(kinds.ReplicaSet).list({ namespace: NAMESPACE })).items;
    assert.equal(sets.length, 2);
    for (const rs of sets) {
      const owner = rs.metadata?.ownerReferences?.find((ref) => ref.controller);
      assert.deepEqual(
        [owner?.apiVersion, owner?.kind, owner?.uid],
        ['apps/v1', 'Deployment', first.metadata?.uid],
      );
      assert.ok(rs.metadata?.labels?.['pod-template-hash'], 'pod-template-hash label');
    }
    const pods = (
      await env.client.resource(kinds.Pod).list({ namespace: NAMESPACE, labelSelector: 'app=web' })
    ).items.filter((p) => p.metadata?.deletionTimestamp === undefined);
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p) => p.spec?.containers[0]?.image === 'web:2'));
    assert.ok(pods.every((p) => p.metadata?.ownerReferences?.[0]?.apiVersion === 'apps/v1'));
  });

  it('runs an apps/v1 StatefulSet in order, with bound claims, and scales it through /scale', async () => {
    const sets = env.client.resource(kinds.StatefulSet);
    const labels = { app: 'db' };
    await sets.create({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: NAMESPACE },
      spec: {
        replicas: 2,
        serviceName: 'db',
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'db', image: 'db:1' }] } },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        ],
      },
    });
    const readyAt = (replicas: number) => async (): Promise<V1StatefulSet | undefined> => {
      const set = await sets.get({ namespace: NAMESPACE, name: 'db' });
      const s = set.status;
      return s?.observedGeneration === set.metadata?.generation &&
        s?.readyReplicas === replicas &&
        s.replicas === replicas &&
        s.currentRevision === s.updateRevision
        ? set
        : undefined;
    };
    const ready = await waitUntil(readyAt(2), { what: 'db ready at 2', timeoutMs: 60_000 });
    assert.equal(ready.status?.currentRevision?.startsWith('db-'), true);
    await sets.scale({ namespace: NAMESPACE, name: 'db' }, 3);
    await waitUntil(readyAt(3), { what: 'db ready at 3', timeoutMs: 60_000 });
    const claims = (await env.client.resource(kinds.PersistentVolumeClaim).list({ namespace: NAMESPACE }))
      .items;
    assert.deepEqual(claims.map((c) => [c.metadata?.name, c.status?.phase]).sort(), [
      ['data-db-0', 'Bound'],
      ['data-db-1', 'Bound'],
      ['data-db-2', 'Bound'],
    ]);
    const pods = (
      await env.client.resource(kinds.Pod).list({ namespace: NAMESPACE, labelSelector: 'app=db' })
    ).items;
    assert.ok(
      pods.every((p) => p.metadata?.ownerReferences?.[0]?.apiVersion === 'apps/v1'),
      'pods owned by the apps/v1 set',
    );
    // The status holds only apps/v1 fields, and settles: no write loop on a field apps/v1 drops.
    const settled = await sets.get({ namespace: NAMESPACE, name: 'db' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const later = await sets.get({ namespace: NAMESPACE, name: 'db' });
    assert.equal(
      later.metadata?.resourceVersion,
      settled.metadata?.resourceVersion,
      'no further status writes',
    );
  });
});
