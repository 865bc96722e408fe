// Deployment parity (spec §5): pausing, scaling while paused, the progress deadline and
// minReadySeconds, each run on the built-in controllers and on ours with identical inputs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import {
  completeAt,
  createComplete,
  deploymentSpec,
  finish,
  type FlavorRun,
  labelledNode,
  ownedReplicaSets,
  parity,
  podTemplate,
  rollTo,
  parityEnvironmentForSuite,
  startRun,
  type Summary,
  withoutNames,
  withSpec,
} from '../../support/deployment-parity.ts';

const counts = (s: Summary) =>
  ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'].map(
    (k) => s.status[k],
  );

/** The Progressing condition's message with the ReplicaSet name replaced by X (names carry hashes). */
async function progressingMessage(client: Client, run: FlavorRun, name: string): Promise<string> {
  const d = await run.deployments.get({ namespace: run.namespace, name });
  const sets = await ownedReplicaSets(client, run.flavor, run.namespace, d.metadata?.uid ?? '');
  return withoutNames(d.status?.conditions?.find((c) => c.type === 'Progressing')?.message ?? '', sets);
}

describe('Deployment parity with kube-controller-manager: pause, progress and availability', () => {
  const suite = parityEnvironmentForSuite();

  it('scenario 11: a paused create makes no ReplicaSet; resume completes; a paused template change makes none', () =>
    parity('11', async (flavor) => {
      const replicas = 2;
      const labels = { app: 'paused' };
      const run = await startRun(suite.client, flavor, 'paused');
      await run.create('paused', {
        replicas,
        paused: true,
        selector: { matchLabels: labels },
        template: podTemplate(labels, 'nginx:1.26'),
      });
      // Both write the paused condition first and the sync's status after it: wait for the latter.
      const paused = await run.waitFor(
        'paused',
        (s) =>
          s.conditions.includes('Progressing=Unknown/DeploymentPaused') &&
          s.status['observedGeneration'] === 1,
      );
      const held = await run.holdFor('paused', 2_000, (o) =>
        o.replicaSets > 0 ? `${o.replicaSets} ReplicaSets while paused` : undefined,
      );
      await run.update('paused', (d) => withSpec(d, { paused: false }));
      const resumed = await run.waitFor('paused', completeAt('1', replicas));

      await run.update('paused', (d) => withSpec(d, { paused: true }));
      await run.waitFor('paused', (s) => s.conditions.includes('Progressing=Unknown/DeploymentPaused'));
      const changed = await run.update('paused', (d) =>
        withSpec(d, { template: podTemplate(labels, 'nginx:1.27') }),
      );
      await run.waitFor('paused', (s) => s.status['observedGeneration'] === changed.metadata?.generation);
      const after = await run.holdFor('paused', 2_000, (o) =>
        o.replicaSets !== 1 || o.specSum !== replicas
          ? `ReplicaSets changed while paused: ${JSON.stringify(o)}`
          : undefined,
      );
      return finish(suite.client, run, [paused, held, resumed, after], {
        extra: await progressingMessage(suite.client, run, 'paused'),
      });
    }));

  it('scenario 12: scaling a paused deployment scales its ReplicaSet; after a paused template change the old one absorbs it', () =>
    parity('12', async (flavor) => {
      const labels = { app: 'paused-scale' };
      const run = await startRun(suite.client, flavor, 'paused-scale');
      await createComplete(run, 'scale', deploymentSpec(labels, 'nginx:1.26', { replicas: 1 }));
      await run.update('scale', (d) => withSpec(d, { paused: true }));
      await run.update('scale', (d) => withSpec(d, { replicas: 10 }));
      const scaled = await run.waitFor(
        'scale',
        (s) => s.status['availableReplicas'] === 10 && s.replicaSets.length === 1 && s.pods === 10,
        (o) => (o.revision !== '1' ? `revision ${o.revision} while paused` : undefined),
      );
      // Code-derived: with the template changed while paused, the only active (old) ReplicaSet absorbs the scale.
      await rollTo(run, 'scale', labels, 'nginx:1.27');
      await run.update('scale', (d) => withSpec(d, { replicas: 4 }));
      const absorbed = await run.waitFor(
        'scale',
        (s) => s.status['availableReplicas'] === 4 && s.pods === 4 && s.replicaSets[0]?.replicas === 4,
        (o) => (o.replicaSets !== 1 ? `${o.replicaSets} ReplicaSets while paused` : undefined),
      );
      return finish(suite.client, run, [scaled, absorbed]);
    }));

  it('scenario 11 (code-derived): reverting the template while paused makes the old ReplicaSet new again, at revision 3, without scaling', () =>
    parity('11-revert', async (flavor) => {
      const replicas = 2;
      const labels = { app: 'paused-revert' };
      const run = await startRun(suite.client, flavor, 'paused-revert');
      await createComplete(run, 'revert', deploymentSpec(labels, 'nginx:1.26', { replicas }));
      await rollTo(run, 'revert', labels, 'nginx:1.27');
      await run.waitFor('revert', completeAt('2', replicas));
      await run.update('revert', (d) => withSpec(d, { paused: true }));
      const reverted = await run.update('revert', (d) =>
        withSpec(d, { template: podTemplate(labels, 'nginx:1.26') }),
      );
      await run.waitFor('revert', (s) => s.status['observedGeneration'] === reverted.metadata?.generation);
      const held = await run.holdFor('revert', 2_000, (o) =>
        o.replicaSets !== 2 ? `${o.replicaSets} ReplicaSets while paused` : undefined,
      );
      return finish(suite.client, run, [held]);
    }));

  it('scenario 12 (code-derived): lowering revisionHistoryLimit on a paused deployment deletes its old ReplicaSets', () =>
    parity('12-history', async (flavor) => {
      const labels = { app: 'paused-history' };
      const run = await startRun(suite.client, flavor, 'paused-history');
      await createComplete(run, 'history', deploymentSpec(labels, 'nginx:1.26', { replicas: 1 }));
      for (const [image, revision] of [
        ['nginx:1.27', '2'],
        ['nginx:1.28', '3'],
      ] as const) {
        await run.update('history', (d) => withSpec(d, { template: podTemplate(labels, image) }));
        await run.waitFor('history', completeAt(revision, 1));
      }
      await run.update('history', (d) => withSpec(d, { paused: true }));
      await run.update('history', (d) => withSpec(d, { revisionHistoryLimit: 1 }));
      const end = await run.waitFor('history', (s) => s.replicaSets.length === 2);
      const held = await run.holdFor('history', 1_000);
      return finish(suite.client, run, [end, held]);
    }));

  it('scenario 14: never-ready pods exceed a 3 s progress deadline on their own; ready pods then complete', () =>
    parity('14', async (flavor) => {
      const replicas = 2;
      const labels = { app: 'deadline' };
      const hold = `deadline-${flavor}`;
      const run = await startRun(suite.client, flavor, 'deadline');
      const createdAt = Date.now();
      await run.create('deadline', {
        replicas,
        progressDeadlineSeconds: 3,
        selector: { matchLabels: labels },
        template: podTemplate(labels, 'nginx:1.26', { pendingUntil: hold }),
      });
      // No writes after the create: only the controller's own requeue can report the deadline.
      const exceeded = await run.waitFor('deadline', (s) =>
        s.conditions.includes('Progressing=False/ProgressDeadlineExceeded'),
      );
      const elapsed = Date.now() - createdAt;
      assert.ok(elapsed < 15_000, `${flavor}: deadline reported after ${elapsed} ms`);
      const timedOutMessage = await progressingMessage(suite.client, run, 'deadline');

      await suite.client.resource(kinds.Node).create(labelledNode(hold, hold));
      const complete = await run.waitFor('deadline', completeAt('1', replicas));
      const doneMessage = await progressingMessage(suite.client, run, 'deadline');
      await suite.client.resource(kinds.Node).delete({ name: hold });
      return finish(suite.client, run, [exceeded, complete], { extra: [timedOutMessage, doneMessage] });
    }));

  it('scenario 15: Available follows minReadySeconds; lowering it makes pods available without a new ReplicaSet', () =>
    parity('15', async (flavor) => {
      const replicas = 3;
      const labels = { app: 'available' };
      const hold = `available-${flavor}`;
      const run = await startRun(suite.client, flavor, 'available');
      await run.create('available', {
        replicas,
        minReadySeconds: 3600,
        progressDeadlineSeconds: 7200,
        selector: { matchLabels: labels },
        template: podTemplate(labels, 'nginx:1.26', { pendingUntil: hold }),
      });
      const unready = await run.waitFor('available', (s) => s.status['replicas'] === replicas);
      assert.deepEqual(counts(unready), [replicas, replicas, 0, 0, replicas], flavor);
      assert.ok(unready.conditions.includes('Available=False/MinimumReplicasUnavailable'), flavor);

      await suite.client.resource(kinds.Node).create(labelledNode(hold, hold));
      const ready = await run.waitFor('available', (s) => s.status['readyReplicas'] === replicas);
      const readyHeld = await run.holdFor('available', 2_000);
      assert.deepEqual(counts(readyHeld), [replicas, replicas, replicas, 0, replicas], flavor);
      assert.ok(readyHeld.conditions.includes('Available=False/MinimumReplicasUnavailable'), flavor);

      await run.update('available', (d) => withSpec(d, { minReadySeconds: 1 }));
      const available = await run.waitFor(
        'available',
        (s) =>
          s.status['availableReplicas'] === replicas &&
          s.conditions.includes('Available=True/MinimumReplicasAvailable'),
        (o) =>
          o.replicaSets !== 1 ? `${o.replicaSets} ReplicaSets after a minReadySeconds change` : undefined,
      );
      const d = await run.deployments.get({ namespace: run.namespace, name: 'available' });
      const [rs] = await ownedReplicaSets(suite.client, flavor, run.namespace, d.metadata?.uid ?? '');
      await suite.client.resource(kinds.Node).delete({ name: hold });
      return finish(suite.client, run, [unready, ready, readyHeld, available], {
        extra: { rsMinReadySeconds: (rs?.spec as { minReadySeconds?: number } | undefined)?.minReadySeconds },
      });
    }));
});
