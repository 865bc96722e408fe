import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { waitUntil } from '../../../sdk/testing/index.ts';
import { API_VERSION, type StatefulSet } from '../../../operators/statefulset/api/types.ts';
import { statefulSetKind } from '../../../operators/statefulset/kinds.ts';
import { setup } from '../../../operators/statefulset/operator.ts';
import { installGeneratedCrds } from '../../support/install-crds.ts';
import { startOperatorEnvironment, type OperatorEnvironment } from '../../support/operator-environment.ts';

const NAMESPACE = 'default';
const REVISION_LABEL = 'controller-revision-hash';

const isReady = (pod: V1Pod) =>
  pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const ordinal = (pod: V1Pod) => Number((pod.metadata?.name ?? '').split('-').at(-1));
const revisionOf = (pod: V1Pod) => pod.metadata?.labels?.[REVISION_LABEL] ?? '';
const live = (pod: V1Pod) => pod.metadata?.deletionTimestamp === undefined;

/**
 * Follows the pods of `app` through a watch (so no intermediate state is missed) and calls `check`
 * with the pods after each event; `stop` ends the watch and returns the violations reported.
 */
async function followPods(
  client: Client,
  app: string,
  check: (pods: ReadonlyMap<string, V1Pod>, event: { type: string; pod: V1Pod }) => string | undefined,
): Promise<() => Promise<string[]>> {
  const podsApi = client.resource(kinds.Pod);
  const listed = await podsApi.list({ namespace: NAMESPACE, labelSelector: `app=${app}` });
  const pods = new Map(listed.items.map((pod) => [pod.metadata?.name ?? '', pod]));
  const violations: string[] = [];
  const subscription = podsApi
    .watch({
      namespace: NAMESPACE,
      labelSelector: `app=${app}`,
      resourceVersion: listed.resourceVersion,
    })
    .subscribe({
      next: (event) => {
        if (event.type === 'BOOKMARK') return;
        const name = event.object.metadata?.name ?? '';
        if (event.type === 'DELETED') pods.delete(name);
        else pods.set(name, event.object);
        const violation = check(pods, { type: event.type, pod: event.object });
        if (violation !== undefined) violations.push(violation);
      },
      error: (error: unknown) => violations.push(`watch failed: ${String(error)}`),
    });
  return async () => {
    // Let the events of the state the caller just observed arrive: the watch agrees with a list.
    const current = (await podsApi.list({ namespace: NAMESPACE, labelSelector: `app=${app}` })).items;
    await waitUntil(
      () =>
        pods.size === current.length &&
        current.every(
          (pod) =>
            pods.get(pod.metadata?.name ?? '')?.metadata?.resourceVersion === pod.metadata?.resourceVersion,
        ),
      { what: 'the watch to catch up', timeoutMs: 10_000, intervalMs: 20 },
    ).catch(() => violations.push('the watch did not catch up'));
    subscription.unsubscribe();
    return violations;
  };
}

const byOrdinal = (pods: ReadonlyMap<string, V1Pod>) =>
  [...pods.values()].sort((a, b) => ordinal(a) - ordinal(b));

describe('StatefulSet controller on simulated nodes', () => {
  let env: OperatorEnvironment;
  let client: Client;
  const setsApi = () => client.resource(statefulSetKind);
  const podsApi = () => client.resource(kinds.Pod);

  const listPods = async (app: string) =>
    (await podsApi().list({ namespace: NAMESPACE, labelSelector: `app=${app}` })).items.sort(
      (a, b) => ordinal(a) - ordinal(b),
    );
  const getSet = (name: string) => setsApi().get({ namespace: NAMESPACE, name });

  /** Waits until the set has `replicas` ready pods all at its update revision, and a settled status. */
  const waitSettled = (name: string, replicas: number, what: string) =>
    waitUntil(
      async () => {
        const set = await getSet(name);
        const pods = (await listPods(name)).filter(live);
        const status = set.status;
        if (status === undefined) return undefined;
        return pods.length === replicas &&
          pods.every(isReady) &&
          pods.every((pod) => revisionOf(pod) === status.updateRevision) &&
          status.observedGeneration === set.metadata?.generation &&
          status.replicas === replicas &&
          status.readyReplicas === replicas &&
          status.updatedReplicas === replicas &&
          status.currentReplicas === replicas &&
          status.availableReplicas === replicas &&
          status.currentRevision === status.updateRevision
          ? { set, pods }
          : undefined;
      },
      { what, timeoutMs: 90_000, intervalMs: 50 },
    );

  before(async () => {
    env = await startOperatorEnvironment({
      plane: { tier: 'full', nodes: 2 },
      prepare: (admin) => installGeneratedCrds(admin, (file) => file.startsWith('statefulsets.')),
      setup: (manager) => setup(manager),
    });
    client = env.client;
  });
  after(() => env.stop());

  const labels = { app: 'web' };
  /** The revision of the nginx:1.28 template, once the rolling update made it. */
  let revision128 = '';
  const template = (image: string) => ({
    metadata: { labels },
    spec: { containers: [{ name: 'web', image }] },
  });

  it('OrderedReady scale 0→3 creates web-0, web-1, web-2 in order, each after the previous is ready', async () => {
    await setsApi().create({
      apiVersion: API_VERSION,
      kind: 'StatefulSet',
      metadata: { name: 'web', namespace: NAMESPACE },
      spec: {
        replicas: 0,
        serviceName: 'web',
        selector: { matchLabels: labels },
        template: template('nginx:1.27'),
      },
    });
    await waitUntil(async () => (await getSet('web')).status?.observedGeneration === 1, {
      what: 'status of the empty set',
      timeoutMs: 30_000,
    });
    assert.deepEqual(await listPods('web'), []);

    const created: number[] = [];
    const stop = await followPods(client, 'web', (pods, event) => {
      if (event.type !== 'ADDED') return undefined;
      const k = ordinal(event.pod);
      created.push(k);
      const previous = pods.get(`web-${k - 1}`);
      if (k > 0 && (previous === undefined || !live(previous) || !isReady(previous)))
        return `web-${k} created while web-${k - 1} was not ready`;
      return undefined;
    });
    await setsApi().scale({ namespace: NAMESPACE, name: 'web' }, 3);
    const { set, pods } = await waitSettled('web', 3, '3 ready pods');
    assert.deepEqual(await stop(), [], 'pods were created in order, each after the previous was ready');
    assert.deepEqual(created, [0, 1, 2]);

    assert.deepEqual(
      pods.map((p) => p.metadata?.name),
      ['web-0', 'web-1', 'web-2'],
    );
    pods.forEach((pod, i) => {
      assert.equal(pod.metadata?.labels?.['statefulset.kubernetes.io/pod-name'], `web-${i}`);
      assert.equal(pod.metadata?.labels?.['apps.kubernetes.io/pod-index'], String(i));
      assert.equal(revisionOf(pod), set.status?.updateRevision);
      assert.equal(pod.spec?.hostname, `web-${i}`);
      assert.equal(pod.spec?.subdomain, 'web');
      const owner = pod.metadata?.ownerReferences?.find((ref) => ref.controller === true);
      assert.equal(owner?.uid, set.metadata?.uid);
    });
    const revisions = await client
      .resource(kinds.ControllerRevision)
      .list({ namespace: NAMESPACE, labelSelector: 'app=web' });
    assert.deepEqual(
      revisions.items.map((r) => r.metadata?.name),
      [set.status?.updateRevision],
    );
    assert.equal(revisions.items[0]?.metadata?.ownerReferences?.[0]?.uid, set.metadata?.uid);
    assert.equal(set.status?.selector, 'app=web');
  });

  it('a template change rolls pods in reverse ordinal order, then moves currentRevision', async () => {
    const before = await getSet('web');
    const oldRevision = before.status?.updateRevision ?? '';
    const firstUpdated: number[] = [];
    const stop = await followPods(client, 'web', (podMap) => {
      const pods = byOrdinal(podMap);
      for (const pod of pods)
        if (live(pod) && revisionOf(pod) !== oldRevision && !firstUpdated.includes(ordinal(pod)))
          firstUpdated.push(ordinal(pod));
      const present = pods.filter(live);
      const oldOnes = present.filter((p) => revisionOf(p) === oldRevision).map(ordinal);
      const newOnes = present.filter((p) => revisionOf(p) !== oldRevision).map(ordinal);
      if (Math.max(...oldOnes) > Math.min(...newOnes))
        return `old ${oldOnes.join(',')} above new ${newOnes.join(',')}`;
      const down = 3 - present.filter(isReady).length;
      if (down > 1) return `${down} pods down at once`;
      return undefined;
    });
    await setsApi().patch(
      { namespace: NAMESPACE, name: 'web' },
      { spec: { template: template('nginx:1.28') } },
      { type: 'merge' },
    );
    const { set, pods } = await waitSettled('web', 3, 'the rolling update to finish');
    assert.deepEqual(await stop(), [], 'one pod at a time, from the top');
    assert.deepEqual(firstUpdated, [2, 1, 0], 'updated in reverse ordinal order');
    assert.notEqual(set.status?.updateRevision, oldRevision);
    assert.equal(set.status?.currentRevision, set.status?.updateRevision);
    revision128 = set.status?.updateRevision ?? '';
    assert.ok(pods.every((pod) => pod.spec?.containers[0]?.image === 'nginx:1.28'));
    const revisions = await client
      .resource(kinds.ControllerRevision)
      .list({ namespace: NAMESPACE, labelSelector: 'app=web' });
    assert.equal(revisions.items.length, 2, 'the old revision is kept as history');
  });

  it('a partition holds the lower ordinals at the current revision', async () => {
    await setsApi().patch(
      { namespace: NAMESPACE, name: 'web' },
      {
        spec: {
          template: template('nginx:1.29'),
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
        },
      },
      { type: 'merge' },
    );
    const held = await waitUntil(
      async () => {
        const set = await getSet('web');
        const pods = (await listPods('web')).filter(live);
        const status = set.status;
        if (status === undefined) return undefined;
        return status.observedGeneration === set.metadata?.generation &&
          status.updatedReplicas === 1 &&
          status.currentReplicas === 2 &&
          status.readyReplicas === 3 &&
          pods.length === 3 &&
          pods.every(isReady) &&
          revisionOf(pods[2] ?? {}) === status.updateRevision
          ? { set, pods }
          : undefined;
      },
      { what: 'web-2 updated, the partition holding 0 and 1', timeoutMs: 60_000, intervalMs: 50 },
    );
    const { currentRevision, updateRevision } = held.set.status ?? {};
    assert.notEqual(currentRevision, updateRevision);
    assert.deepEqual(held.pods.map(revisionOf), [currentRevision, currentRevision, updateRevision]);
    // Give the controller time to (wrongly) go on.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.deepEqual(
      (await listPods('web')).map(revisionOf),
      [currentRevision, currentRevision, updateRevision],
      'still held',
    );

    await setsApi().patch(
      { namespace: NAMESPACE, name: 'web' },
      { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } },
      { type: 'merge' },
    );
    const { set } = await waitSettled('web', 3, 'the partition lifted');
    assert.equal(set.status?.currentRevision, updateRevision);
  });

  it('a rollback reuses the earlier revision, renumbered; the history is truncated to its limit', async () => {
    const revisionsApi = client.resource(kinds.ControllerRevision);
    const listRevisions = async () =>
      (await revisionsApi.list({ namespace: NAMESPACE, labelSelector: 'app=web' })).items;
    assert.equal((await listRevisions()).length, 3, 'nginx 1.27, 1.28 and 1.29');
    await setsApi().patch(
      { namespace: NAMESPACE, name: 'web' },
      { spec: { template: template('nginx:1.28') } },
      { type: 'merge' },
    );
    const { set } = await waitSettled('web', 3, 'the rollback to nginx 1.28');
    assert.equal(set.status?.updateRevision, revision128, 'the 1.28 revision is reused');
    const revisions = await listRevisions();
    assert.equal(revisions.length, 3);
    const reused = revisions.find((r) => r.metadata?.name === revision128);
    assert.equal(reused?.revision, Math.max(...revisions.map((r) => r.revision)), 'renumbered as the newest');

    await setsApi().patch(
      { namespace: NAMESPACE, name: 'web' },
      { spec: { revisionHistoryLimit: 0 } },
      { type: 'merge' },
    );
    await waitUntil(
      async () => {
        const names = (await listRevisions()).map((r) => r.metadata?.name);
        return names.length === 1 && names[0] === revision128;
      },
      { what: 'the history truncated to the live revision', timeoutMs: 30_000, intervalMs: 50 },
    );
  });

  it('a deleted pod comes back with the same name', async () => {
    const [, before] = await listPods('web');
    assert.ok(before);
    await podsApi().delete({ namespace: NAMESPACE, name: 'web-1' });
    const { pods } = await waitUntil(
      async () => {
        const pods = (await listPods('web')).filter(live);
        const again = pods.find((p) => p.metadata?.name === 'web-1');
        return again && again.metadata?.uid !== before.metadata?.uid ? { pods } : undefined;
      },
      { what: 'web-1 recreated', timeoutMs: 60_000, intervalMs: 50 },
    );
    assert.deepEqual(
      pods.map((p) => p.metadata?.name),
      ['web-0', 'web-1', 'web-2'],
    );
    await waitSettled('web', 3, 'web-1 ready again');
  });

  it('scale down removes the highest ordinal first, one at a time', async () => {
    const gone: number[] = [];
    const stop = await followPods(client, 'web', (pods, event) => {
      const k = ordinal(event.pod);
      if (live(event.pod) || gone.includes(k)) return undefined;
      gone.push(k);
      const others = [...pods.values()].filter((p) => p !== event.pod && !live(p));
      const above = [...pods.values()].filter((p) => ordinal(p) > k);
      if (others.length > 0) return `web-${k} deleted while another pod was terminating`;
      if (above.length > 0) return `web-${k} deleted before ${above.map((p) => p.metadata?.name).join(',')}`;
      return undefined;
    });
    await setsApi().scale({ namespace: NAMESPACE, name: 'web' }, 1);
    const { pods } = await waitSettled('web', 1, 'scale down to 1');
    await waitUntil(async () => (await listPods('web')).length === 1, {
      what: 'pods gone',
      timeoutMs: 60_000,
    });
    assert.deepEqual(await stop(), []);
    assert.deepEqual(gone, [2, 1], 'web-2, then web-1');
    assert.deepEqual(
      pods.map((p) => p.metadata?.name),
      ['web-0'],
    );

    await setsApi().delete({ namespace: NAMESPACE, name: 'web' });
    await waitUntil(async () => (await listPods('web')).length === 0, {
      what: 'the garbage collector to remove the pods of the deleted set',
      timeoutMs: 60_000,
    });
  });

  it('Parallel with OnDelete: creates all pods, reports availability after minReadySeconds, records events, updates a pod only when it is deleted', async () => {
    const parLabels = { app: 'par' };
    const parTemplate = (image: string) => ({
      metadata: { labels: parLabels },
      spec: { containers: [{ name: 'par', image }] },
    });
    await setsApi().create({
      apiVersion: API_VERSION,
      kind: 'StatefulSet',
      metadata: { name: 'par', namespace: NAMESPACE },
      spec: {
        replicas: 3,
        serviceName: 'par',
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'OnDelete' },
        minReadySeconds: 2,
        selector: { matchLabels: parLabels },
        template: parTemplate('nginx:1.27'),
      },
    });
    // Availability comes from the controller's own requeue: nothing else changes once pods are ready.
    let sawReadyNotAvailable = false;
    const { set } = await waitUntil(
      async () => {
        const set = await getSet('par');
        const status = set.status;
        if (status?.readyReplicas === 3 && (status.availableReplicas ?? 0) < 3) sawReadyNotAvailable = true;
        return status?.replicas === 3 && status.readyReplicas === 3 && status.availableReplicas === 3
          ? { set }
          : undefined;
      },
      { what: 'three available pods', timeoutMs: 60_000, intervalMs: 50 },
    );
    assert.ok(sawReadyNotAvailable, 'ready pods were reported available only after minReadySeconds');
    const oldRevision = set.status?.updateRevision ?? '';

    const events = await waitUntil(
      async () => {
        const list = await client
          .resource(kinds.Event)
          .list({ namespace: NAMESPACE, fieldSelector: 'involvedObject.name=par' });
        const messages = list.items
          .filter((e) => e.reason === 'SuccessfulCreate')
          .map((e) => e.message)
          .sort();
        return messages.length === 3 ? messages : undefined;
      },
      { what: 'three SuccessfulCreate events', timeoutMs: 30_000 },
    );
    assert.deepEqual(events, [
      'create Pod par-0 in StatefulSet par successful',
      'create Pod par-1 in StatefulSet par successful',
      'create Pod par-2 in StatefulSet par successful',
    ]);

    await setsApi().patch(
      { namespace: NAMESPACE, name: 'par' },
      { spec: { template: parTemplate('nginx:1.28') } },
      { type: 'merge' },
    );
    const changed = await waitUntil(
      async () => {
        const set = await getSet('par');
        return set.status?.observedGeneration === 2 ? set : undefined;
      },
      { what: 'the template change observed', timeoutMs: 30_000, intervalMs: 50 },
    );
    const newRevision = changed.status?.updateRevision ?? '';
    assert.notEqual(newRevision, oldRevision);
    assert.equal(changed.status?.currentRevision, oldRevision);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.deepEqual(
      (await listPods('par')).map(revisionOf),
      [oldRevision, oldRevision, oldRevision],
      'OnDelete',
    );

    await podsApi().delete({ namespace: NAMESPACE, name: 'par-1' });
    const updated = await waitUntil(
      async () => {
        const pods = (await listPods('par')).filter(live);
        const status = (await getSet('par')).status;
        return pods.length === 3 &&
          pods.every(isReady) &&
          status?.updatedReplicas === 1 &&
          status.readyReplicas === 3
          ? { pods, status }
          : undefined;
      },
      { what: 'par-1 recreated at the update revision', timeoutMs: 60_000, intervalMs: 50 },
    );
    assert.deepEqual(updated.pods.map(revisionOf), [oldRevision, newRevision, oldRevision]);
    assert.equal(updated.pods[1]?.spec?.containers[0]?.image, 'nginx:1.28');
    assert.equal(updated.status.currentReplicas, 2);
    assert.equal(updated.status.currentRevision, oldRevision);

    await setsApi().delete({ namespace: NAMESPACE, name: 'par' });
    await waitUntil(async () => (await listPods('par')).length === 0, {
      what: 'the garbage collector to remove the pods of the deleted set',
      timeoutMs: 60_000,
    });
  });

  it('adopts an orphan pod whose name is its own and repairs its identity labels; ignores the others', async () => {
    const adoptLabels = { app: 'adopt' };
    const container = { name: 'adopt', image: 'nginx:1.27' };
    for (const name of ['adopt-0', 'adopt-x', 'other-0'])
      await podsApi().create({
        metadata: { name, namespace: NAMESPACE, labels: adoptLabels },
        spec: { containers: [container] },
      });
    const orphan = await podsApi().get({ namespace: NAMESPACE, name: 'adopt-0' });
    const set = await setsApi().create({
      apiVersion: API_VERSION,
      kind: 'StatefulSet',
      metadata: { name: 'adopt', namespace: NAMESPACE },
      spec: {
        replicas: 1,
        serviceName: 'adopt',
        // OnDelete: the adopted pod (without a revision label) is kept rather than replaced.
        updateStrategy: { type: 'OnDelete' },
        selector: { matchLabels: adoptLabels },
        template: { metadata: { labels: adoptLabels }, spec: { containers: [container] } },
      },
    });
    const adopted = await waitUntil(
      async () => {
        const pod = await podsApi().get({ namespace: NAMESPACE, name: 'adopt-0' });
        const status = (await getSet('adopt')).status;
        return pod.metadata?.labels?.['statefulset.kubernetes.io/pod-name'] === 'adopt-0' &&
          status?.replicas === 1 &&
          status.readyReplicas === 1
          ? pod
          : undefined;
      },
      { what: 'adopt-0 adopted and repaired', timeoutMs: 60_000, intervalMs: 50 },
    );
    assert.equal(adopted.metadata?.uid, orphan.metadata?.uid, 'the same pod, not a replacement');
    assert.equal(
      adopted.metadata?.ownerReferences?.find((ref) => ref.controller === true)?.uid,
      set.metadata?.uid,
    );
    assert.equal(adopted.metadata?.labels?.['apps.kubernetes.io/pod-index'], '0');
    const pods = await listPods('adopt');
    assert.deepEqual(
      pods.map((p) => p.metadata?.name).sort(),
      ['adopt-0', 'adopt-x', 'other-0'],
      'nothing created',
    );
    for (const pod of pods.filter((p) => p.metadata?.name !== 'adopt-0'))
      assert.equal(pod.metadata?.ownerReferences, undefined, `${pod.metadata?.name} left alone`);

    await setsApi().delete({ namespace: NAMESPACE, name: 'adopt' });
    await waitUntil(async () => !(await listPods('adopt')).some((p) => p.metadata?.name === 'adopt-0'), {
      what: 'the garbage collector to remove adopt-0',
      timeoutMs: 60_000,
    });
    for (const name of ['adopt-x', 'other-0']) await podsApi().delete({ namespace: NAMESPACE, name });
  });

  it('creates claims from volumeClaimTemplates with the retention policy as ownerReferences', async () => {
    // The full tier provisions hostPath volumes: the claims bind and the pods run.
    const dbLabels = { app: 'db' };
    const set = await setsApi().create({
      apiVersion: API_VERSION,
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: NAMESPACE },
      spec: {
        replicas: 2,
        serviceName: 'db',
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: dbLabels },
        template: {
          metadata: { labels: dbLabels },
          spec: {
            containers: [
              { name: 'db', image: 'postgres:17', volumeMounts: [{ name: 'data', mountPath: '/data' }] },
            ],
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
    const claimsApi = client.resource(kinds.PersistentVolumeClaim);
    const listClaims = async () =>
      (await claimsApi.list({ namespace: NAMESPACE, labelSelector: 'app=db' })).items
        .filter((c) => c.metadata?.deletionTimestamp === undefined)
        .sort((a, b) => ordinal(a as V1Pod) - ordinal(b as V1Pod));
    const controllerUid = (claim: V1PersistentVolumeClaim) =>
      claim.metadata?.ownerReferences?.find((ref) => ref.controller === true)?.uid;

    const created = await waitUntil(
      async () => {
        const claims = await listClaims();
        const pods = (await listPods('db')).filter(live);
        const status = (await getSet('db')).status;
        return claims.length === 2 &&
          claims.every((c) => controllerUid(c) === set.metadata?.uid && c.status?.phase === 'Bound') &&
          pods.length === 2 &&
          status?.readyReplicas === 2
          ? { claims, pods, status }
          : undefined;
      },
      { what: 'two bound claims owned by the set, two ready pods', timeoutMs: 60_000, intervalMs: 50 },
    );
    assert.deepEqual(
      created.claims.map((c) => c.metadata?.name),
      ['data-db-0', 'data-db-1'],
    );
    created.pods.forEach((pod, i) => {
      const volume = pod.spec?.volumes?.find((v) => v.name === 'data');
      assert.equal(volume?.persistentVolumeClaim?.claimName, `data-db-${i}`);
    });

    // Scaled down, the condemned pod becomes the controller of its claim, which then goes with it.
    await setsApi().scale({ namespace: NAMESPACE, name: 'db' }, 1);
    await waitUntil(
      async () => {
        const claims = await listClaims();
        const pods = await listPods('db');
        return claims.length === 1 && claims[0]?.metadata?.name === 'data-db-0' && pods.length === 1;
      },
      { what: 'db-1 and its claim to be deleted', timeoutMs: 60_000, intervalMs: 50 },
    );

    // Deleted, the set takes its remaining claim with it (whenDeleted: Delete).
    await setsApi().delete({ namespace: NAMESPACE, name: 'db' });
    await waitUntil(async () => (await listClaims()).length === 0 && (await listPods('db')).length === 0, {
      what: 'the garbage collector to remove the pods and claims of the deleted set',
      timeoutMs: 60_000,
    });
  });
});
