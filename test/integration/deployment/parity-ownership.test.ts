// Deployment parity (spec §5): adoption, orphaning, cascading deletion and the scale subresource,
// each run on the built-in controllers and on ours with identical inputs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1OwnerReference } from '@kubernetes/client-node';
import { isNotFound } from '../../../sdk/client/errors.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { waitUntil } from '../../../sdk/testing/index.ts';
import {
  completeAt,
  createComplete,
  deploymentSpec,
  eventMessages,
  finish,
  type FlavorRun,
  ownedReplicaSets,
  parity,
  podTemplate,
  replicaSetObject,
  REVISION,
  SCALING_EVENTS,
  parityEnvironmentForSuite,
  startRun,
  type WorkloadObject,
} from '../../support/deployment-parity.ts';

/** Owner references without UIDs (they differ between runs), in a stable order. */
const refShapes = (rs: WorkloadObject) =>
  (rs.metadata?.ownerReferences ?? [])
    .map((ref: V1OwnerReference) => ({
      kind: ref.kind,
      name: ref.name,
      controller: ref.controller ?? false,
      blockOwnerDeletion: ref.blockOwnerDeletion ?? false,
    }))
    .sort((a, b) => a.kind.localeCompare(b.kind));

describe('Deployment parity with kube-controller-manager: ownership', () => {
  const suite = parityEnvironmentForSuite();

  /** Creates an unowned ReplicaSet and waits until its pods are available. */
  async function preexistingReplicaSet(
    run: FlavorRun,
    name: string,
    spec: Record<string, unknown>,
    metadata: WorkloadObject['metadata'] = {},
  ): Promise<WorkloadObject> {
    const rs = await run.replicaSets.create(
      replicaSetObject(run.flavor, run.namespace, name, spec, metadata),
    );
    await waitUntil(
      async () => {
        const current = await run.replicaSets.get({ namespace: run.namespace, name });
        return (
          (current.status as { availableReplicas?: number } | undefined)?.availableReplicas ===
          spec['replicas']
        );
      },
      { what: `${run.flavor} ReplicaSet ${name} available`, timeoutMs: 60_000, intervalMs: 100 },
    );
    return rs;
  }

  it('scenario 2: adopts a pre-existing ReplicaSet with a huge revision and rolls past it', () =>
    parity('2', async (flavor) => {
      const run = await startRun(suite.client, flavor, 'adopt-roll');
      const rsLabels = { name: 'sample-pod', pod: 'httpd' };
      await preexistingReplicaSet(
        run,
        'test-rolling-update-controller',
        { replicas: 1, selector: { matchLabels: rsLabels }, template: podTemplate(rsLabels, 'httpd:2.4') },
        { annotations: { [REVISION]: '3546343826724305832' } },
      );
      const labels = { name: 'sample-pod' };
      await run.create('test-rolling-update-deployment', {
        replicas: 1,
        selector: { matchLabels: labels },
        template: podTemplate(labels, 'agnhost:2.52'),
      });
      const end = await run.waitFor(
        'test-rolling-update-deployment',
        (s) => completeAt('3546343826724305833', 1)(s) && s.replicaSets.length === 2,
      );
      return finish(suite.client, run, [end]);
    }));

  it('scenario 8: with revisionHistoryLimit 0 the adopted ReplicaSet creates no pod and is deleted', () =>
    parity('8-adopt', async (flavor) => {
      const run = await startRun(suite.client, flavor, 'adopt-cleanup');
      const labels = { name: 'cleanup-pod' };
      await preexistingReplicaSet(run, 'test-cleanup-controller', {
        replicas: 1,
        selector: { matchLabels: labels },
        template: podTemplate(labels, 'httpd:2.4'),
      });
      const createdBefore = run.podsCreated();
      await run.create('test-cleanup-deployment', {
        replicas: 1,
        revisionHistoryLimit: 0,
        selector: { matchLabels: labels },
        template: podTemplate(labels, 'agnhost:2.52'),
      });
      const end = await run.waitFor(
        'test-cleanup-deployment',
        (s) => completeAt('1', 1)(s) && s.replicaSets.length === 1,
      );
      const podCreations = run.podsCreated() - createdBefore;
      assert.equal(podCreations, 1, `${flavor}: pods created after the deployment`);
      return finish(suite.client, run, [end]);
    }));

  it('scenario 18: a deployment deleted with Orphan leaves its ReplicaSet, which a recreated one adopts', () =>
    parity('18', async (flavor) => {
      const run = await startRun(suite.client, flavor, 'orphan');
      const labels = { app: 'orphan' };
      const spec = {
        replicas: 2,
        selector: { matchLabels: labels },
        template: podTemplate(labels, 'nginx:1.26'),
      };
      const first = await run.create('orphan', spec);
      await run.waitFor('orphan', completeAt('1', 2));
      const [rs] = await ownedReplicaSets(suite.client, flavor, run.namespace, first.metadata?.uid ?? '');
      await run.deployments.delete(
        { namespace: run.namespace, name: 'orphan' },
        { propagationPolicy: 'Orphan' },
      );
      const orphaned = await waitUntil(
        async () => {
          const gone = await run.deployments.get({ namespace: run.namespace, name: 'orphan' }).then(
            () => false,
            (error: unknown) => isNotFound(error),
          );
          const current = await run.replicaSets.get({
            namespace: run.namespace,
            name: rs?.metadata?.name ?? '',
          });
          return gone && !current.metadata?.ownerReferences?.some((ref) => ref.controller)
            ? current
            : undefined;
        },
        { what: `${flavor} ReplicaSet orphaned`, timeoutMs: 60_000, intervalMs: 100 },
      );
      const createdBefore = run.podsCreated();
      const second = await run.create('orphan', spec);
      const end = await run.waitFor('orphan', completeAt('1', 2));
      const owned = await ownedReplicaSets(suite.client, flavor, run.namespace, second.metadata?.uid ?? '');
      assert.deepEqual(
        owned.map((o) => o.metadata?.uid),
        [rs?.metadata?.uid],
        `${flavor}: the same ReplicaSet is adopted`,
      );
      run.close();
      return {
        summaries: [end],
        revisions: run.revisionSequence(),
        events: await eventMessages(suite.client, run.namespace, SCALING_EVENTS),
        specs: run.specSequence(),
        extra: {
          orphanedRefs: refShapes(orphaned),
          adoptedRefs: owned.map(refShapes),
          podsCreated: run.podsCreated() - createdBefore,
        },
      };
    }));

  it('scenario 20: adoption adds a controller ref next to a foreign one and turns our own non-controller ref into one', () =>
    parity('20', async (flavor) => {
      const run = await startRun(suite.client, flavor, 'adopt-refs');
      const shapes: unknown[] = [];
      for (const variant of ['foreign', 'self'] as const) {
        const labels = { app: `adopt-${variant}` };
        const template = podTemplate(labels, 'nginx:1.26');
        // Paused: the deployment claims but never creates a ReplicaSet of its own.
        const d = await run.create(`adopt-${variant}`, {
          replicas: 1,
          paused: true,
          selector: { matchLabels: labels },
          template,
        });
        const owner =
          variant === 'self'
            ? {
                apiVersion: d.apiVersion ?? '',
                kind: 'Deployment',
                name: d.metadata?.name ?? '',
                uid: d.metadata?.uid ?? '',
                controller: false,
              }
            : await suite.client
                .resource(kinds.ConfigMap)
                .create({ metadata: { name: 'other-owner', namespace: run.namespace } })
                .then((cm) => ({
                  apiVersion: 'v1',
                  kind: 'ConfigMap',
                  name: 'other-owner',
                  uid: cm.metadata?.uid ?? '',
                }));
        const rsName = `adopt-${variant}-rs`;
        await run.replicaSets.create(
          replicaSetObject(
            run.flavor,
            run.namespace,
            rsName,
            { replicas: 1, selector: { matchLabels: labels }, template },
            {
              ownerReferences: [owner],
            },
          ),
        );
        const adopted = await waitUntil(
          async () => {
            const rs = await run.replicaSets.get({ namespace: run.namespace, name: rsName });
            const ref = rs.metadata?.ownerReferences?.find((r) => r.controller);
            return ref?.uid === d.metadata?.uid ? rs : undefined;
          },
          { what: `${flavor} ${rsName} adopted`, timeoutMs: 60_000, intervalMs: 100 },
        );
        shapes.push(refShapes(adopted));
      }
      run.close();
      return { summaries: [], revisions: [], extra: shapes };
    }));

  it('scenario 22: deleting a deployment in the foreground removes its ReplicaSets and pods and creates nothing', () =>
    parity('22', async (flavor) => {
      const run = await startRun(suite.client, flavor, 'cascade');
      const labels = { app: 'cascade' };
      const end = await createComplete(run, 'cascade', deploymentSpec(labels, 'nginx:1.26', { replicas: 3 }));
      const createdBefore = run.podsCreated();
      await run.deployments.delete(
        { namespace: run.namespace, name: 'cascade' },
        { propagationPolicy: 'Foreground' },
      );
      await waitUntil(
        async () => {
          const gone = await run.deployments.get({ namespace: run.namespace, name: 'cascade' }).then(
            () => false,
            (error: unknown) => isNotFound(error),
          );
          const sets = await run.replicaSets.list({ namespace: run.namespace });
          const pods = await suite.client.resource(kinds.Pod).list({ namespace: run.namespace });
          return gone && sets.items.length === 0 && pods.items.length === 0;
        },
        { what: `${flavor} cascade to finish`, timeoutMs: 60_000, intervalMs: 100 },
      );
      return finish(suite.client, run, [end], {
        extra: { podsCreatedDuringDeletion: run.podsCreated() - createdBefore },
      });
    }));

  it('scenario 23: the scale subresource mirrors spec.replicas (2 → 3 → 0)', () =>
    parity('23', async (flavor) => {
      const run = await startRun(suite.client, flavor, 'scale');
      const labels = { app: 'scale' };
      await run.create('scale', {
        replicas: 2,
        selector: { matchLabels: labels },
        template: podTemplate(labels, 'nginx:1.26'),
      });
      const key = { namespace: run.namespace, name: 'scale' };
      const summaries = [await run.waitFor('scale', completeAt('1', 2))];
      const scales: unknown[] = [];
      for (const replicas of [3, 0]) {
        await run.deployments.scale(key, replicas);
        summaries.push(
          await run.waitFor(
            'scale',
            (s) =>
              s.status['replicas'] === replicas &&
              s.pods === replicas &&
              s.status['availableReplicas'] === replicas,
          ),
        );
        const scale = await run.deployments.getScale(key);
        const d = await run.deployments.get(key);
        scales.push({ scale: scale.spec?.replicas, status: scale.status?.replicas, spec: d.spec?.replicas });
      }
      run.close();
      return {
        summaries,
        revisions: run.revisionSequence(),
        events: await eventMessages(suite.client, run.namespace, SCALING_EVENTS),
        specs: run.specSequence(),
        extra: scales,
      };
    }));
});
