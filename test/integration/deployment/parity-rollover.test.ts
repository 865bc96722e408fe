// Deployment parity (spec §5): rollover onto blocked rollouts, scaled rollouts, and a restart of the
// controllers mid-rollout, each run on the built-in controllers and on ours with identical inputs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitUntil } from '../../../sdk/testing/index.ts';
import {
  completeAt,
  DESIRED_REPLICAS,
  finish,
  type Flavor,
  ownedReplicaSets,
  parity,
  podTemplate,
  replicaSetObject,
  rollTo,
  parityEnvironmentForSuite,
  startRun,
  withSpec,
} from '../../support/deployment-parity.ts';

describe('Deployment parity with kube-controller-manager: rollover, scaled rollout, restart', () => {
  const suite = parityEnvironmentForSuite();

  it('scenario 7: rolls over an adopted ReplicaSet and a blocked rollout onto a third template', () =>
    parity('7', async (flavor) => {
      const run = await startRun(suite.client, flavor, 'rollover');
      const rsLabels = { name: 'rollover-pod', pod: 'httpd' };
      await run.replicaSets.create(
        replicaSetObject(flavor, run.namespace, 'test-rollover-controller', {
          replicas: 1,
          selector: { matchLabels: rsLabels },
          template: podTemplate(rsLabels, 'httpd:2.4'),
        }),
      );
      await waitUntil(
        async () => {
          const rs = await run.replicaSets.get({
            namespace: run.namespace,
            name: 'test-rollover-controller',
          });
          return (rs.status as { readyReplicas?: number } | undefined)?.readyReplicas === 1;
        },
        { what: `${flavor} pre-existing ReplicaSet ready`, timeoutMs: 60_000, intervalMs: 100 },
      );
      const labels = { name: 'rollover-pod' };
      const strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } };
      // The first template never becomes Ready (its pods stay Pending).
      await run.create('rollover', {
        replicas: 1,
        minReadySeconds: 2,
        strategy,
        selector: { matchLabels: labels },
        template: podTemplate(labels, 'redis:bad', { pendingUntil: `rollover-${flavor}` }),
      });
      const blocked = await run.waitFor(
        'rollover',
        (s) =>
          s.revision === '1' &&
          s.replicaSets.length === 2 &&
          s.replicaSets.every((rs) => rs.replicas === 1 && rs.statusReplicas === 1) &&
          s.status['replicas'] === 2 &&
          s.status['updatedReplicas'] === 1,
      );
      await rollTo(run, 'rollover', labels, 'agnhost:2.52');
      const end = await run.waitFor(
        'rollover',
        (s) => completeAt('2', 1)(s) && s.replicaSets.length === 3,
        // The adopted ReplicaSet keeps its own selector (no pod-template-hash), as upstream's does.
        (o) => (o.specSum > 2 ? `Σ spec.replicas ${o.specSum} > 2` : undefined),
      );
      return finish(suite.client, run, [blocked, end]);
    }));

  it('scenario 10: template and replicas change together during blocked rollouts; every ReplicaSet ends annotated with the final size', () =>
    parity('10', async (flavor) => {
      const run = await startRun(suite.client, flavor, 'scaled');
      const labels = { app: 'scaled' };
      const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } };
      // minReadySeconds 3: pods added by proportional scaling are not yet available when the
      // rollout step right after it runs, in either flavor, so both take the same step.
      await run.create('scaled', {
        replicas: 10,
        minReadySeconds: 3,
        strategy,
        selector: { matchLabels: labels },
        template: podTemplate(labels, 'nginx:1.26'),
      });
      const summaries = [await run.waitFor('scaled', completeAt('1', 10))];
      /** Waits for every ReplicaSet to carry the new size, then lets the blocked rollout come to rest. */
      const settle = async (replicas: number, revision: string) => {
        await run.waitFor(
          'scaled',
          (s) =>
            s.revision === revision && s.replicaSets.every((rs) => rs.desiredReplicas === String(replicas)),
        );
        return run.holdFor('scaled', 4_000);
      };
      // A blocked rollout (pods Pending) at 10, then a new blocked template together with 20, then 5.
      await run.update('scaled', (d) =>
        withSpec(d, { template: podTemplate(labels, 'nginx:1.27', { pendingUntil: `scaled-${flavor}` }) }),
      );
      await run.waitFor('scaled', (s) => s.replicaSets.length === 2 && s.status['replicas'] === 13);
      const minAvailableHeld = await run.holdFor('scaled', 1_000, (o) =>
        o.available < 8 ? `available ${o.available} < 8` : undefined,
      );
      summaries.push(minAvailableHeld);
      let specsBeforeScaleTo5 = 0;
      for (const [replicas, image, revision] of [
        [20, 'nginx:1.28', '3'],
        [5, 'nginx:1.29', '4'],
      ] as const) {
        await run.update('scaled', (d) =>
          withSpec(d, {
            replicas,
            template: podTemplate(labels, image, { pendingUntil: `scaled-${flavor}` }),
          }),
        );
        summaries.push(await settle(replicas, revision));
        if (replicas === 20) specsBeforeScaleTo5 = run.specSequence().length;
      }
      const d = await run.deployments.get({ namespace: run.namespace, name: 'scaled' });
      const sets = await ownedReplicaSets(suite.client, flavor, run.namespace, d.metadata?.uid ?? '');
      assert.ok(
        sets.every((rs) => rs.metadata?.annotations?.[DESIRED_REPLICAS] === '5'),
        `${flavor}: desired-replicas ${sets.map((rs) => rs.metadata?.annotations?.[DESIRED_REPLICAS]).join(',')}`,
      );
      run.close();
      // No events here: beyond 10 similar events client-go combines them into one, losing messages.
      // The sizes are compared up to the scale to 5 only: right after it, kube-controller-manager
      // itself takes either of two steps (seen: '3,0,2,0' → '3,0,0,0' or → '3,0,2,3'), depending
      // on whether its Update of the second old ReplicaSet conflicts with a status write. Ours
      // patches, so it always takes the conflict-free one. The end states are compared in full.
      return {
        summaries,
        revisions: run.revisionSequence(),
        specs: run.specSequence().slice(0, specsBeforeScaleTo5),
      };
    }));

  it('restart mid-rollout: the controllers converge to the same end state without over-creating pods', () =>
    parity('restart', async (flavor: Flavor) => {
      const replicas = 5;
      const labels = { app: 'restart' };
      const run = await startRun(suite.client, flavor, 'restart');
      await run.create('restart', {
        replicas,
        minReadySeconds: 1,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        selector: { matchLabels: labels },
        template: podTemplate(labels, 'nginx:1.26'),
      });
      await run.waitFor('restart', completeAt('1', replicas));
      // maxSurge bounds the ReplicaSets' sizes. Live pods can briefly exceed it in both flavors: the
      // new ReplicaSet's controller may create its pod before the old one's has deleted the pod
      // its scale-down released (seen: 7 live pods, from kube-controller-manager as from ours).
      const withinSurge = (o: { specSum: number }) =>
        o.specSum > replicas + 1 ? `Σ spec ${o.specSum} > ${replicas + 1}` : undefined;
      await rollTo(run, 'restart', labels, 'nginx:1.27');
      // Mid-rollout: the new ReplicaSet exists and has pods, the old one still has most of its pods.
      await run.waitFor(
        'restart',
        (s) => s.replicaSets.length === 2 && (s.status['updatedReplicas'] ?? 0) >= 1,
        withinSurge,
      );
      if (flavor === 'built-in') {
        await suite.env.plane.restart('kube-controller-manager');
      } else {
        await suite.env.stopOperator();
        await run.holdFor('restart', 1_000, withinSurge);
        await suite.env.startOperator();
      }
      const end = await run.waitFor('restart', completeAt('2', replicas), withinSurge);
      run.close();
      // Over-creating (a restarted controller acting on a cache without its expectations) would show
      // as pods created beyond the two revisions' replicas, later deleted as surplus.
      assert.equal(run.podsCreated(), 2 * replicas, `${flavor}: pods created over both revisions`);
      return { summaries: [end], revisions: run.revisionSequence() };
    }));
});
