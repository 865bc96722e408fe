import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { waitUntil } from '../../../sdk/testing/index.ts';
import { API_VERSION } from '../../../operators/deployment/api/types.ts';
import { setupReplicaSetController } from '../../../operators/deployment/controllers/replica-set-controller.ts';
import { replicaSetKind } from '../../../operators/deployment/kinds.ts';
import { installGeneratedCrds } from '../../support/install-crds.ts';
import { startOperatorEnvironment, type OperatorEnvironment } from '../../support/operator-environment.ts';

const isReady = (pod: V1Pod) =>
  pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

describe('ReplicaSet controller on simulated nodes', () => {
  let env: OperatorEnvironment;
  let client: Client;

  before(async () => {
    env = await startOperatorEnvironment({
      plane: { tier: 'full', nodes: 2 },
      prepare: (admin) => installGeneratedCrds(admin, (file) => file.startsWith('replicasets.')),
      setup: setupReplicaSetController,
    });
    client = env.client;
  });
  after(() => env.stop());

  it('adopts a matching orphan, creates the rest, never exceeds replicas, scales down, and is cleaned up by the GC', async () => {
    const podsApi = client.resource(kinds.Pod);
    const labels = { app: 'web', tier: 'frontend' };
    const container = { name: 'web', image: 'nginx:1.27' };
    await podsApi.create({
      metadata: { name: 'orphan', namespace: 'default', labels },
      spec: { containers: [container] },
    });

    const rs = await client.resource(replicaSetKind).create({
      apiVersion: API_VERSION,
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 4,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [container] } },
      },
    });

    let mostPods = 0;
    const listPods = async () =>
      (await podsApi.list({ namespace: 'default', labelSelector: 'app=web' })).items.filter(
        (p) => !p.metadata?.deletionTimestamp,
      );
    const settled = await waitUntil(
      async () => {
        const pods = await listPods();
        mostPods = Math.max(mostPods, pods.length);
        const status = (await client.resource(replicaSetKind).get({ namespace: 'default', name: 'web' }))
          .status;
        return pods.length === 4 && pods.every(isReady) && status?.readyReplicas === 4
          ? { pods, status }
          : undefined;
      },
      { what: '4 ready pods and status', timeoutMs: 60_000, intervalMs: 50 },
    );
    assert.equal(mostPods, 4, 'never more pods than replicas');
    const orphan = settled.pods.find((p) => p.metadata?.name === 'orphan');
    assert.equal(orphan?.metadata?.ownerReferences?.[0]?.uid, rs.metadata?.uid, 'the orphan was adopted');
    assert.equal(
      settled.pods.filter((p) => p.metadata?.generateName === 'web-').length,
      3,
      'only the missing three were created',
    );
    assert.deepEqual(
      {
        replicas: settled.status.replicas,
        ready: settled.status.readyReplicas,
        available: settled.status.availableReplicas,
        observedGeneration: settled.status.observedGeneration,
      },
      { replicas: 4, ready: 4, available: 4, observedGeneration: 1 },
    );

    await client.resource(replicaSetKind).scale({ namespace: 'default', name: 'web' }, 1);
    await waitUntil(
      async () =>
        (await listPods()).length === 1 &&
        (await client.resource(replicaSetKind).get({ namespace: 'default', name: 'web' })).status
          ?.replicas === 1,
      { what: 'scale down to 1', timeoutMs: 60_000 },
    );

    await client.resource(replicaSetKind).delete({ namespace: 'default', name: 'web' });
    await waitUntil(
      async () => (await podsApi.list({ namespace: 'default', labelSelector: 'app=web' })).items.length === 0,
      {
        what: 'the garbage collector to remove the pods of the deleted ReplicaSet',
        timeoutMs: 60_000,
      },
    );
  });
});
