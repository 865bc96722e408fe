// Deployment parity (spec §5): each scenario runs twice on one cluster with identical inputs, once
// as a built-in apps/v1 Deployment (kube-controller-manager) and once as ours, checking the rolling
// invariants at every observation and comparing the end states.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { waitUntil } from '../../../sdk/testing/index.ts';
import { setupDeploymentController } from '../../../operators/deployment/controllers/deployment-controller.ts';
import { setupReplicaSetController } from '../../../operators/deployment/controllers/replica-set-controller.ts';
import {
  deploymentObject,
  observe,
  summarize,
  workloadKinds,
  type Flavor,
  type Observation,
  type Summary,
} from '../../support/deployment-parity.ts';
import { installGeneratedCrds } from '../../support/install-crds.ts';
import { startOperatorEnvironment, type OperatorEnvironment } from '../../support/operator-environment.ts';

const flavors: Flavor[] = ['built-in', 'typerator'];

describe('Deployment parity with kube-controller-manager', () => {
  let env: OperatorEnvironment;
  let client: Client;

  before(async () => {
    env = await startOperatorEnvironment({
      plane: { tier: 'full', nodes: 3 },
      prepare: (admin) => installGeneratedCrds(admin),
      setup: (manager) => {
        setupReplicaSetController(manager);
        setupDeploymentController(manager);
      },
    });
    client = env.client;
  });
  after(() => env.stop());

  /** Polls until `done`, recording an observation each time and checking `invariant` on it. */
  async function watchUntil(
    flavor: Flavor,
    namespace: string,
    name: string,
    done: (summary: Summary) => boolean,
    invariant: (o: Observation) => string | undefined,
  ): Promise<{ summary: Summary; observations: Observation[] }> {
    const observations: Observation[] = [];
    const summary = await waitUntil(
      async () => {
        const o = await observe(client, flavor, namespace, name);
        observations.push(o);
        const broken = invariant(o);
        if (broken) throw new Error(`${flavor}: invariant broken: ${broken} in ${JSON.stringify(o)}`);
        const s = await summarize(client, flavor, namespace, name);
        return done(s) ? s : undefined;
      },
      { what: `${flavor} ${name} to settle`, timeoutMs: 90_000, intervalMs: 100 },
    ).catch((error: unknown) => {
      // Keep the first broken invariant visible instead of a generic timeout.
      const broken = observations.map(invariant).find(Boolean);
      throw broken ? new Error(`${flavor}: ${broken}`) : error;
    });
    return { summary, observations };
  }

  it('scenario 1+3: creates, then rolls out a new template at 25%/25% with the invariants held throughout', async () => {
    const replicas = 4;
    const labels = { app: 'roll' };
    const template = (image: string) => ({
      metadata: { labels },
      spec: { containers: [{ name: 'app', image }] },
    });
    const results = new Map<Flavor, Summary[]>();
    for (const flavor of flavors) {
      const namespace = `roll-${flavor}`;
      await client.resource(kinds.Namespace).create({ metadata: { name: namespace } });
      const deployments = client.resource(workloadKinds(flavor).deployment);
      await deployments.create(
        deploymentObject(flavor, namespace, 'roll', {
          replicas,
          selector: { matchLabels: labels },
          template: template('nginx:1.26'),
        }),
      );
      const complete = (revision: string) => (s: Summary) =>
        s.revision === revision &&
        s.status['updatedReplicas'] === replicas &&
        s.status['availableReplicas'] === replicas &&
        s.status['replicas'] === replicas &&
        s.conditions.includes('Progressing=True/NewReplicaSetAvailable') &&
        s.pods === replicas;
      const created = await watchUntil(flavor, namespace, 'roll', complete('1'), () => undefined);

      // Roll to a new image: Σspec ≤ replicas + maxSurge (1) and available ≥ replicas − maxUnavailable (0).
      const current = await deployments.get({ namespace, name: 'roll' });
      await deployments.update({ ...current, spec: { ...current.spec, template: template('nginx:1.27') } });
      const rolled = await watchUntil(
        flavor,
        namespace,
        'roll',
        (s) =>
          complete('2')(s) &&
          s.replicaSets.every((rs) => rs.revision === '2' || (rs.replicas === 0 && rs.statusReplicas === 0)),
        (o) => {
          if (o.specSum > replicas + 1) return `Σ spec.replicas ${o.specSum} > ${replicas + 1}`;
          if (o.available < replicas) return `available ${o.available} < ${replicas}`;
          if (!o.everySelectorHasHash) return 'a ReplicaSet selector lacks pod-template-hash';
          return undefined;
        },
      );
      assert.ok(rolled.observations.length > 1);
      results.set(flavor, [created.summary, rolled.summary]);
    }
    assert.deepEqual(results.get('typerator'), results.get('built-in'));
  });

  it('scenario 6: Recreate removes every old pod before the new ReplicaSet exists', async () => {
    const replicas = 3;
    const labels = { app: 'recreate' };
    const template = (image: string) => ({
      metadata: { labels },
      spec: { containers: [{ name: 'app', image }] },
    });
    const results = new Map<Flavor, Summary>();
    for (const flavor of flavors) {
      const namespace = `recreate-${flavor}`;
      await client.resource(kinds.Namespace).create({ metadata: { name: namespace } });
      const deployments = client.resource(workloadKinds(flavor).deployment);
      await deployments.create(
        deploymentObject(flavor, namespace, 'recreate', {
          replicas,
          strategy: { type: 'Recreate' },
          selector: { matchLabels: labels },
          template: template('nginx:1.26'),
        }),
      );
      await watchUntil(
        flavor,
        namespace,
        'recreate',
        (s) => s.revision === '1' && s.status['availableReplicas'] === replicas && s.pods === replicas,
        () => undefined,
      );
      const current = await deployments.get({ namespace, name: 'recreate' });
      await deployments.update({ ...current, spec: { ...current.spec, template: template('nginx:1.27') } });
      const end = await watchUntil(
        flavor,
        namespace,
        'recreate',
        (s) =>
          s.revision === '2' &&
          s.status['availableReplicas'] === replicas &&
          s.status['updatedReplicas'] === replicas &&
          s.pods === replicas &&
          s.conditions.includes('Progressing=True/NewReplicaSetAvailable'),
        (o) =>
          o.replicaSets > 1 && o.specSum > replicas
            ? `old and new ReplicaSets both scaled (Σ ${o.specSum})`
            : undefined,
      );
      results.set(flavor, end.summary);
    }
    assert.deepEqual(results.get('typerator'), results.get('built-in'));
  });
});
