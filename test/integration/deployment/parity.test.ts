// Deployment parity (spec §5), rollouts: each scenario runs twice on one cluster with identical
// inputs, once as a built-in apps/v1 Deployment (kube-controller-manager) and once as ours, checking
// invariants at every observation and comparing end states and the sequences of states.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  completeAt,
  createComplete,
  deploymentSpec,
  eventMessages,
  finish,
  ownedReplicaSets,
  parity,
  podTemplate,
  REVISION,
  REVISION_HISTORY,
  rollTo,
  parityEnvironmentForSuite,
  startRun,
  withSpec,
  type WorkloadObject,
} from '../../support/deployment-parity.ts';

const SCALING_EVENTS = [
  'ScalingReplicaSet',
  'DeploymentRollback',
  'DeploymentRollbackRevisionNotFound',
  'DeploymentRollbackTemplateUnchanged',
  'SelectingAll',
];
const ROLLBACK_TO = 'deprecated.deployment.rollback.to';

describe('Deployment parity with kube-controller-manager: rollouts', () => {
  const suite = parityEnvironmentForSuite();

  it('scenario 1+3: creates, then rolls out a new template at 25%/25% with the invariants held throughout', () =>
    parity('1+3', async (flavor) => {
      const replicas = 4;
      const labels = { app: 'roll' };
      const run = await startRun(suite.client, flavor, 'roll');
      // Scenario 1's annotations: `test` is copied to the ReplicaSets, last-applied is not (compared
      // through the summaries' annotations).
      await run.create(
        'roll',
        {
          replicas,
          minReadySeconds: 1,
          selector: { matchLabels: labels },
          template: podTemplate(labels, 'nginx:1.26'),
        },
        {
          annotations: {
            test: 'should-copy-to-replica-set',
            'kubectl.kubernetes.io/last-applied-configuration': 'should-not-copy-to-replica-set',
          },
        },
      );
      const created = await run.waitFor('roll', completeAt('1', replicas));
      await rollTo(run, 'roll', labels, 'nginx:1.27');
      // 25% of 4: maxSurge 1, maxUnavailable 1.
      const rolled = await run.waitFor('roll', completeAt('2', replicas), (o) => {
        if (o.specSum > replicas + 1) return `Σ spec.replicas ${o.specSum} > ${replicas + 1}`;
        if (o.available < replicas - 1) return `available ${o.available} < ${replicas - 1}`;
        if (!o.everySelectorHasHash) return 'a ReplicaSet selector lacks pod-template-hash';
        return undefined;
      });
      run.close();
      return { summaries: [created, rolled], revisions: run.revisionSequence() };
    }));

  it('scenario 6: Recreate removes every old pod before the new ReplicaSet exists', () =>
    parity('6', async (flavor) => {
      const replicas = 3;
      const labels = { app: 'recreate' };
      const run = await startRun(suite.client, flavor, 'recreate');
      await run.create('recreate', {
        replicas,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: labels },
        template: podTemplate(labels, 'nginx:1.26'),
      });
      await run.waitFor('recreate', completeAt('1', replicas));
      await rollTo(run, 'recreate', labels, 'nginx:1.27');
      const end = await run.waitFor('recreate', completeAt('2', replicas), (o) =>
        o.replicaSets > 1 && o.specSum > replicas
          ? `old and new ReplicaSets both scaled (Σ ${o.specSum})`
          : undefined,
      );
      return finish(suite.client, run, [end], { reasons: SCALING_EVENTS });
    }));

  it('scenario 4: replicas 2 at maxSurge 0 / maxUnavailable 1 takes the old pod down before the new one comes up', () =>
    parity('4a', async (flavor) => {
      const replicas = 2;
      const labels = { app: 'fence-a' };
      const run = await startRun(suite.client, flavor, 'fence-a');
      await run.create('fence', {
        replicas,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
        selector: { matchLabels: labels },
        template: podTemplate(labels, 'nginx:1.26'),
      });
      await run.waitFor('fence', completeAt('1', replicas));
      await rollTo(run, 'fence', labels, 'nginx:1.27');
      const end = await run.waitFor('fence', completeAt('2', replicas), (o) => {
        if (o.specSum > replicas) return `Σ spec.replicas ${o.specSum} > ${replicas}`;
        if (o.available < 1) return `available ${o.available} < 1`;
        return undefined;
      });
      run.close();
      // The new ReplicaSet starts at 0 (no surge), then old −1, new +1, old −1, new +1.
      assert.deepEqual(run.specSequence(), ['2', '2,0', '1,0', '1,1', '0,1', '0,2'], flavor);
      return {
        summaries: [end],
        revisions: run.revisionSequence(),
        events: await eventMessages(suite.client, run.namespace, SCALING_EVENTS),
        specs: run.specSequence(),
      };
    }));

  it('scenario 4: replicas 1 at the 25%/25% defaults surges the new pod first and never drops availability', () =>
    parity('4b', async (flavor) => {
      const labels = { app: 'fence-b' };
      const run = await startRun(suite.client, flavor, 'fence-b');
      await createComplete(run, 'fence', deploymentSpec(labels, 'nginx:1.26', { replicas: 1 }));
      await rollTo(run, 'fence', labels, 'nginx:1.27');
      const end = await run.waitFor('fence', completeAt('2', 1), (o) => {
        if (o.specSum > 2) return `Σ spec.replicas ${o.specSum} > 2`;
        if (o.available < 1) return `available ${o.available} < 1`;
        return undefined;
      });
      run.close();
      assert.deepEqual(run.specSequence(), ['1', '1,1', '0,1'], flavor);
      return {
        summaries: [end],
        revisions: run.revisionSequence(),
        events: await eventMessages(suite.client, run.namespace, SCALING_EVENTS),
        specs: run.specSequence(),
      };
    }));

  it('scenario 5: replicas 1 at maxSurge 0% / maxUnavailable 10% rounds to unavailable 1 and removes the old pod first', () =>
    parity('5', async (flavor) => {
      const labels = { app: 'rounding' };
      const run = await startRun(suite.client, flavor, 'rounding');
      await run.create('rounding', {
        replicas: 1,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '0%', maxUnavailable: '10%' } },
        selector: { matchLabels: labels },
        template: podTemplate(labels, 'nginx:1.26'),
      });
      await run.waitFor('rounding', completeAt('1', 1));
      await rollTo(run, 'rounding', labels, 'nginx:1.27');
      const end = await run.waitFor('rounding', completeAt('2', 1), (o) =>
        o.specSum > 1 ? `Σ spec.replicas ${o.specSum} > 1` : undefined,
      );
      run.close();
      assert.deepEqual(run.specSequence(), ['1', '1,0', '0,0', '0,1'], flavor);
      return {
        summaries: [end],
        revisions: run.revisionSequence(),
        events: await eventMessages(suite.client, run.namespace, SCALING_EVENTS),
        specs: run.specSequence(),
      };
    }));

  it('scenario 16: rollback the way `kubectl rollout undo` does reuses the original ReplicaSet at revision 3', () =>
    parity('16', async (flavor) => {
      const replicas = 2;
      const labels = { app: 'undo' };
      const run = await startRun(suite.client, flavor, 'undo');
      await createComplete(run, 'undo', deploymentSpec(labels, 'nginx:1.26', { replicas }));
      const d1 = await run.deployments.get({ namespace: run.namespace, name: 'undo' });
      const [original] = await ownedReplicaSets(suite.client, flavor, run.namespace, d1.metadata?.uid ?? '');
      await rollTo(run, 'undo', labels, 'nginx:1.27');
      await run.waitFor('undo', completeAt('2', replicas));

      // kubectl rollout undo (client side): the previous revision's template, hash label removed,
      // and its annotations minus the skip list, keeping the deployment's own skip-list keys.
      const owned = await ownedReplicaSets(suite.client, flavor, run.namespace, d1.metadata?.uid ?? '');
      const previous = owned.find((rs) => rs.metadata?.annotations?.[REVISION] === '1');
      assert.ok(previous?.spec?.template, `${flavor}: revision 1 ReplicaSet`);
      const template = structuredClone(previous.spec.template);
      delete template.metadata?.labels?.['pod-template-hash'];
      await run.update('undo', (d) => ({
        ...withSpec(d, { template }),
        metadata: {
          ...d.metadata,
          annotations: undoAnnotations(d.metadata?.annotations, previous.metadata?.annotations),
        },
      }));
      const end = await run.waitFor('undo', completeAt('3', replicas), (o) =>
        o.replicaSets > 2 ? `${o.replicaSets} ReplicaSets: rollback created a new one` : undefined,
      );
      const after = await ownedReplicaSets(suite.client, flavor, run.namespace, d1.metadata?.uid ?? '');
      const current = after.find((rs) => rs.metadata?.annotations?.[REVISION] === '3');
      assert.equal(
        current?.metadata?.uid,
        original?.metadata?.uid,
        `${flavor}: the original ReplicaSet is reused`,
      );
      return finish(suite.client, run, [end], {
        extra: { replicaSets: after.length, history: current?.metadata?.annotations?.[REVISION_HISTORY] },
        reasons: SCALING_EVENTS,
      });
    }));

  it('scenario 16: the deprecated rollback annotation: rev 0 with one revision is cleared; after v2 it rolls back to v1 at revision 3', () =>
    parity('16-annotation', async (flavor) => {
      const replicas = 2;
      const labels = { app: 'rollback-to' };
      const run = await startRun(suite.client, flavor, 'rollback-to');
      const annotate = (d: WorkloadObject) => ({
        ...d,
        metadata: { ...d.metadata, annotations: { ...d.metadata?.annotations, [ROLLBACK_TO]: '0' } },
      });
      const cleared = (s: { annotations: Record<string, string> }) =>
        s.annotations[ROLLBACK_TO] === undefined;
      await createComplete(run, 'rollback', deploymentSpec(labels, 'nginx:1.26', { replicas }));
      await run.update('rollback', annotate);
      const notFound = await run.waitFor('rollback', (s) => completeAt('1', replicas)(s) && cleared(s));
      await rollTo(run, 'rollback', labels, 'nginx:1.27');
      await run.waitFor('rollback', completeAt('2', replicas));
      await run.update('rollback', annotate);
      const end = await run.waitFor(
        'rollback',
        (s) => completeAt('3', replicas)(s) && cleared(s),
        (o) => (o.replicaSets > 2 ? `${o.replicaSets} ReplicaSets: rollback created a new one` : undefined),
      );
      run.close();
      // apps/v1's registry bumps generation on annotation changes too (they are copied to the
      // ReplicaSets); a CRD's only on spec changes. That is the API server, not the controller, so
      // observedGeneration is left out here.
      return {
        summaries: [notFound, end].map((x) => ({ ...x, status: { ...x.status, observedGeneration: -1 } })),
        revisions: run.revisionSequence(),
        events: await eventMessages(suite.client, run.namespace, SCALING_EVENTS),
        specs: run.specSequence(),
      };
    }));

  it('scenario 16 (issue 14): rollback to "0" after a template change made while paused creates that template\'s ReplicaSet first, then rolls back to the revision before it', () =>
    parity('16-paused', async (flavor) => {
      const replicas = 2;
      const labels = { app: 'rollback-paused' };
      const run = await startRun(suite.client, flavor, 'rollback-paused');
      await createComplete(run, 'rollback', deploymentSpec(labels, 'nginx:1.26', { replicas }));
      await rollTo(run, 'rollback', labels, 'nginx:1.27');
      await run.waitFor('rollback', completeAt('2', replicas));
      await run.update('rollback', (d) => withSpec(d, { paused: true }));
      const changed = await run.update('rollback', (d) => ({
        ...withSpec(d, { template: podTemplate(labels, 'nginx:1.28') }),
        metadata: { ...d.metadata, annotations: { ...d.metadata?.annotations, [ROLLBACK_TO]: '0' } },
      }));
      await run.waitFor('rollback', (s) => s.status['observedGeneration'] === changed.metadata?.generation);
      await run.update('rollback', (d) => withSpec(d, { paused: false }));
      // kube-controller-manager makes nginx:1.28's ReplicaSet (revision 3), rolls back to revision 2
      // (nginx:1.27), which becomes revision 4.
      const end = await run.waitFor(
        'rollback',
        (s) =>
          s.annotations[ROLLBACK_TO] === undefined &&
          !['', '1', '2'].includes(s.revision) &&
          completeAt(s.revision, replicas)(s),
      );
      const image = (await run.deployments.get({ namespace: run.namespace, name: 'rollback' })).spec?.template
        ?.spec?.containers[0]?.image;
      run.close();
      // As in the scenario above, generations differ on annotation changes (the API server's doing).
      return {
        summaries: [end].map((x) => ({ ...x, status: { ...x.status, observedGeneration: -1 } })),
        revisions: run.revisionSequence(),
        events: await eventMessages(suite.client, run.namespace, SCALING_EVENTS),
        specs: run.specSequence(),
        extra: image,
      };
    }));

  it('scenario 8: revisionHistoryLimit 0 deletes the old ReplicaSet once it is scaled down', () =>
    parity('8', async (flavor) => {
      const replicas = 2;
      const labels = { app: 'history' };
      const run = await startRun(suite.client, flavor, 'history');
      await createComplete(
        run,
        'history',
        deploymentSpec(labels, 'nginx:1.26', { replicas, revisionHistoryLimit: 0 }),
      );
      await rollTo(run, 'history', labels, 'nginx:1.27');
      const end = await run.waitFor(
        'history',
        (s) => completeAt('2', replicas)(s) && s.replicaSets.length === 1,
      );
      return finish(suite.client, run, [end], { reasons: SCALING_EVENTS });
    }));
});

const UNDO_SKIPPED = [
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
];

/** kubectl's undo annotations: the ReplicaSet's, minus the skip list, plus the deployment's skip-list keys. */
function undoAnnotations(
  deployment: Record<string, string> | undefined,
  replicaSet: Record<string, string> | undefined,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [k, v] of Object.entries(replicaSet ?? {})) if (!UNDO_SKIPPED.includes(k)) result[k] = v;
  for (const [k, v] of Object.entries(deployment ?? {})) if (UNDO_SKIPPED.includes(k)) result[k] = v;
  return result;
}
