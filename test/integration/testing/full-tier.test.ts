import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import {
  resolveBinary,
  startControlPlane,
  type ControlPlane,
  waitUntil,
} from '../../../sdk/testing/index.ts';

const run = promisify(execFile);

describe('control plane, tier full', () => {
  let plane: ControlPlane;
  before(async () => {
    plane = await startControlPlane({ tier: 'full', nodes: 2 });
  });
  after(async () => {
    await plane.stop();
  });

  it('runs a built-in Deployment to 3 ready pods on kwok nodes, and the GC removes them on delete', async () => {
    const kc = plane.kubeConfig();
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const labels = { app: 'web' };
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 3,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
        },
      },
    });
    const readyPods = await waitUntil(
      async () => {
        const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' });
        const ready = pods.items.filter((p) =>
          p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        );
        return ready.length === 3 ? ready : undefined;
      },
      { what: '3 ready pods', timeoutMs: 60_000 },
    );
    for (const pod of readyPods) assert.match(pod.spec?.nodeName ?? '', /^kwok-node-\d$/);
    const deployment = await apps.readNamespacedDeployment({ namespace: 'default', name: 'web' });
    await waitUntil(
      async () =>
        (await apps.readNamespacedDeployment({ namespace: 'default', name: 'web' })).status?.readyReplicas ===
        3,
      {
        what: 'deployment status readyReplicas 3',
        timeoutMs: 30_000,
      },
    );
    assert.equal(deployment.spec?.replicas, 3);

    await apps.deleteNamespacedDeployment({ namespace: 'default', name: 'web' });
    await waitUntil(
      async () => {
        const [sets, pods] = await Promise.all([
          apps.listNamespacedReplicaSet({ namespace: 'default', labelSelector: 'app=web' }),
          core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' }),
        ]);
        return sets.items.length === 0 && pods.items.length === 0;
      },
      { what: 'the garbage collector to remove the ReplicaSet and pods', timeoutMs: 60_000 },
    );
  });

  it('serves kubectl built from the same release', async () => {
    const { stdout } = await run(resolveBinary('kubectl'), [
      '--kubeconfig',
      plane.kubeconfigPath,
      'get',
      'nodes',
      '-o',
      'name',
    ]);
    assert.deepEqual(stdout.trim().split('\n').sort(), ['node/kwok-node-0', 'node/kwok-node-1']);
  });

  it('has a working helm', async () => {
    const { stdout } = await run(resolveBinary('helm'), ['version', '--short']);
    assert.match(stdout, /^v3\.\d+\.\d+/);
  });
});
