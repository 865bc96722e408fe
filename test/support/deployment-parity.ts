// Runs one Deployment scenario against either the built-in apps/v1 controllers (in
// kube-controller-manager) or our operator, observing the same things the same way, so a test can
// check invariants at every observation and compare the two runs.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubernetesObject, V1Node, V1PodTemplateSpec } from '@kubernetes/client-node';
import { pino } from 'pino';
import { Client } from '../../sdk/client/client.ts';
import { isConflict } from '../../sdk/client/errors.ts';
import type { ResourceClient } from '../../sdk/client/resource-client.ts';
import type { ResourceKind } from '../../sdk/client/resource-kind.ts';
import { kinds } from '../../sdk/client/resource-kind.ts';
import { Manager } from '../../sdk/manager/manager.ts';
import { kwokNode, startControlPlane, waitUntil, type ControlPlane } from '../../sdk/testing/index.ts';
import { API_VERSION } from '../../operators/deployment/api/types.ts';
import { deploymentKind, replicaSetKind } from '../../operators/deployment/kinds.ts';
import { templatesEqualIgnoringHash } from '../../operators/deployment/logic/hash.ts';
import { setupDeploymentController } from '../../operators/deployment/controllers/deployment-controller.ts';
import { setupReplicaSetController } from '../../operators/deployment/controllers/replica-set-controller.ts';
import { installGeneratedCrds } from './install-crds.ts';

/** Which implementation runs the scenario. */
export type Flavor = 'built-in' | 'typerator';

export const flavors: readonly Flavor[] = ['built-in', 'typerator'];

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';

/** A nodeSelector no node matches until {@link labelledNode} adds one: pods stay Pending. */
export const NEVER_LABEL = 'typerator.dev/never';

export interface WorkloadObject extends KubernetesObject {
  spec?: {
    replicas?: number;
    template?: V1PodTemplateSpec;
    strategy?: unknown;
    selector?: unknown;
  };
  status?: {
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    observedGeneration?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/** What one poll saw. */
export interface Observation {
  /** The deployment's UID: a deleted and recreated deployment starts its invariants afresh. */
  readonly uid: string;
  readonly specSum: number;
  readonly available: number;
  readonly replicaSets: number;
  readonly revision: string;
  readonly observedGeneration: number;
  /** metadata.generation: the status describes the current spec once observedGeneration reaches it. */
  readonly generation: number;
  readonly everySelectorHasHash: boolean;
  /** Two owned ReplicaSets with the same template (hash label aside): never allowed. */
  readonly duplicateTemplates: boolean;
  /** Pods in the namespace that are not being deleted. */
  readonly livePods: number;
  readonly progressing: string;
}

/** The end state, hashes and names left out so the two flavors compare. */
export interface Summary {
  readonly status: Record<string, number>;
  readonly conditions: string[];
  readonly conditionMessages: string[];
  readonly revision: string;
  readonly annotations: Record<string, string>;
  readonly replicaSets: {
    revision: string;
    replicas: number;
    statusReplicas: number;
    desiredReplicas: string;
    maxReplicas: string;
    annotations: Record<string, string>;
    minReadySeconds: number;
  }[];
  readonly pods: number;
}

export function workloadKinds(flavor: Flavor): {
  deployment: ResourceKind<WorkloadObject>;
  replicaSet: ResourceKind<WorkloadObject>;
  apiVersion: string;
} {
  return flavor === 'built-in'
    ? {
        deployment: kinds.Deployment,
        replicaSet: kinds.ReplicaSet,
        apiVersion: 'apps/v1',
      }
    : {
        deployment: deploymentKind,
        replicaSet: replicaSetKind,
        apiVersion: API_VERSION,
      };
}

/** The ReplicaSets controlled by the object with `uid`. */
export async function ownedReplicaSets(
  client: Client,
  flavor: Flavor,
  namespace: string,
  uid: string,
): Promise<WorkloadObject[]> {
  const { replicaSet } = workloadKinds(flavor);
  const all = await client.resource(replicaSet).list({ namespace });
  return all.items.filter((rs) =>
    rs.metadata?.ownerReferences?.some((ref) => ref.controller && ref.uid === uid),
  );
}

const conditionText = (c: { type: string; status: string; reason?: string }) =>
  `${c.type}=${c.status}/${c.reason ?? ''}`;

export async function observe(
  client: Client,
  flavor: Flavor,
  namespace: string,
  name: string,
): Promise<Observation> {
  const { deployment } = workloadKinds(flavor);
  const d = await client.resource(deployment).get({ namespace, name });
  const sets = await ownedReplicaSets(client, flavor, namespace, d.metadata?.uid ?? '');
  const pods = await client.resource(kinds.Pod).list({ namespace });
  const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing');
  return {
    uid: d.metadata?.uid ?? '',
    specSum: sets.reduce((sum, rs) => sum + (rs.spec?.replicas ?? 0), 0),
    available: d.status?.availableReplicas ?? 0,
    replicaSets: sets.length,
    revision: d.metadata?.annotations?.[REVISION] ?? '',
    observedGeneration: d.status?.observedGeneration ?? 0,
    generation: d.metadata?.generation ?? 0,
    everySelectorHasHash: sets.every((rs) =>
      Boolean(
        (rs.spec?.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels?.[
          'pod-template-hash'
        ],
      ),
    ),
    duplicateTemplates: sets.some((a, i) =>
      sets.slice(i + 1).some((b) => templatesEqualIgnoringHash(a.spec?.template, b.spec?.template)),
    ),
    livePods: pods.items.filter((p) => !p.metadata?.deletionTimestamp).length,
    progressing: progressing ? conditionText(progressing) : '',
  };
}

/** `text` with every ReplicaSet name in `sets` replaced by X. */
export function withoutNames(text: string, sets: readonly WorkloadObject[]): string {
  return sets.reduce((t, rs) => (rs.metadata?.name ? t.replaceAll(rs.metadata.name, 'X') : t), text);
}

/** The event reasons the parity scenarios compare between the flavors. */
export const SCALING_EVENTS = ['ScalingReplicaSet', 'DeploymentRollback', 'SelectingAll'];

/** How far apart two reads of the events must agree before they count as settled. */
const EVENT_SETTLE_MS = 300;

/**
 * The deployments' events with a reason in `reasons`, ReplicaSet names replaced by X, sorted: event
 * times have one-second resolution, so this compares them as a multiset.
 */
export async function eventMessages(
  client: Client,
  namespace: string,
  reasons: readonly string[],
): Promise<string[]> {
  const read = async () => {
    const events = await client.resource(kinds.Event).list({ namespace });
    return events.items
      .filter((e) => e.involvedObject.kind === 'Deployment' && reasons.includes(e.reason ?? ''))
      .flatMap((e) => {
        const text = `${e.type ?? ''} ${e.reason ?? ''}: ${(e.message ?? '').replace(/ [a-z0-9-]+-[4-9bcdf]{1,10}\b/g, ' X')}`;
        return Array.from({ length: e.count ?? 1 }, () => text);
      })
      .sort();
  };
  // Both controllers write events asynchronously, as client-go's recorder does: the last ones can
  // land just after the state they describe. Read until two reads apart agree.
  let previous = await read();
  for (let attempt = 0; attempt < 20; attempt++) {
    await sleep(EVENT_SETTLE_MS);
    const current = await read();
    if (JSON.stringify(current) === JSON.stringify(previous)) return current;
    previous = current;
  }
  return previous;
}

export async function summarize(
  client: Client,
  flavor: Flavor,
  namespace: string,
  name: string,
): Promise<Summary> {
  return (await readSummary(client, flavor, namespace, name)).summary;
}

/**
 * The summary, and whether its status describes the spec it was read with (observedGeneration has
 * reached generation in the same read).
 */
export async function readSummary(
  client: Client,
  flavor: Flavor,
  namespace: string,
  name: string,
): Promise<{ summary: Summary; current: boolean }> {
  const { deployment } = workloadKinds(flavor);
  const d = await client.resource(deployment).get({ namespace, name });
  const sets = await ownedReplicaSets(client, flavor, namespace, d.metadata?.uid ?? '');
  const pods = await client.resource(kinds.Pod).list({
    namespace,
    labelSelector: Object.entries(d.spec?.template?.metadata?.labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
  });
  const s = d.status ?? {};
  const current = (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
  const summary: Summary = {
    // apps/v1 omits zero counters (Go omitempty) where our CRD status writes 0: absent means 0.
    status: {
      replicas: s.replicas ?? 0,
      updatedReplicas: s.updatedReplicas ?? 0,
      readyReplicas: s.readyReplicas ?? 0,
      availableReplicas: s.availableReplicas ?? 0,
      unavailableReplicas: s.unavailableReplicas ?? 0,
      observedGeneration: s.observedGeneration ?? 0,
    },
    conditions: (s.conditions ?? []).map(conditionText).sort(),
    // Messages name ReplicaSets, whose names carry the (deliberately different) hash.
    conditionMessages: (s.conditions ?? [])
      .map((c) => `${c.type}: ${withoutNames(c.message ?? '', sets)}`)
      .sort(),
    revision: d.metadata?.annotations?.[REVISION] ?? '',
    annotations: d.metadata?.annotations ?? {},
    replicaSets: sets
      .map((rs) => ({
        revision: rs.metadata?.annotations?.[REVISION] ?? '',
        replicas: rs.spec?.replicas ?? 0,
        statusReplicas: rs.status?.replicas ?? 0,
        desiredReplicas: rs.metadata?.annotations?.[DESIRED_REPLICAS] ?? '',
        maxReplicas: rs.metadata?.annotations?.[MAX_REPLICAS] ?? '',
        annotations: rs.metadata?.annotations ?? {},
        minReadySeconds: (rs.spec as { minReadySeconds?: number } | undefined)?.minReadySeconds ?? 0,
      }))
      .sort((a, b) => a.revision.localeCompare(b.revision)),
    pods: pods.items.filter((p) => !p.metadata?.deletionTimestamp).length,
  };
  return { summary, current };
}

/** `d` with `changes` merged into its spec (fields the shared shape does not name, too). */
export function withSpec(d: WorkloadObject, changes: Record<string, unknown>): WorkloadObject {
  return { ...d, spec: { ...d.spec, ...changes } };
}

/** A deployment object of either flavor. */
export function deploymentObject(
  flavor: Flavor,
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  metadata: KubernetesObject['metadata'] = {},
): WorkloadObject {
  const { apiVersion } = workloadKinds(flavor);
  return { apiVersion, kind: 'Deployment', metadata: { ...metadata, name, namespace }, spec };
}

/** A ReplicaSet object of either flavor, with no owner. */
export function replicaSetObject(
  flavor: Flavor,
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  metadata: KubernetesObject['metadata'] = {},
): WorkloadObject {
  const { apiVersion } = workloadKinds(flavor);
  // A Deployment's selector matches a ReplicaSet's own labels: give it its template's.
  const labels = (spec['template'] as V1PodTemplateSpec | undefined)?.metadata?.labels;
  return {
    apiVersion,
    kind: 'ReplicaSet',
    metadata: { ...(labels ? { labels } : {}), ...metadata, name, namespace },
    spec,
  };
}

/** A pod template with one container, optionally held Pending by a nodeSelector nothing matches. */
export function podTemplate(
  labels: Record<string, string>,
  image: string,
  options: { pendingUntil?: string } = {},
): V1PodTemplateSpec {
  return {
    metadata: { labels },
    spec: {
      containers: [{ name: 'app', image }],
      ...(options.pendingUntil ? { nodeSelector: { [NEVER_LABEL]: options.pendingUntil } } : {}),
    },
  };
}

/** A kwok node carrying `NEVER_LABEL=value`, so pods held for `value` get scheduled and Ready. */
export function labelledNode(name: string, value: string): V1Node {
  return kwokNode(name, { [NEVER_LABEL]: value });
}

/** Checks one observation; returns what is wrong, if anything. */
export type Invariant = (o: Observation) => string | undefined;

/** The spec's always-on Deployment invariants, given the previous observation. */
export function alwaysOnViolation(previous: Observation | undefined, o: Observation): string | undefined {
  if (o.duplicateTemplates) return 'two owned ReplicaSets share a template';
  if (previous?.uid !== o.uid) return undefined;
  if (previous.revision !== '' && (o.revision === '' || BigInt(o.revision) < BigInt(previous.revision)))
    return `revision went from ${previous.revision} to ${o.revision || '(none)'}`;
  if (o.observedGeneration < previous.observedGeneration)
    return `observedGeneration went from ${previous.observedGeneration} to ${o.observedGeneration}`;
  return undefined;
}

/** Consecutive duplicates dropped: the distinct states in the order they were seen. */
export function distinctSequence<T>(values: readonly T[]): T[] {
  return values.filter((v, i) => i === 0 || v !== values[i - 1]);
}

/**
 * One flavor's run of a scenario in its own namespace: writes go through the flavor's kinds, and
 * every observation (in waits and holds alike) is checked against the always-on invariants and
 * kept, so a test can compare the sequence of states with the other flavor's.
 */
export interface FlavorRun {
  readonly flavor: Flavor;
  readonly namespace: string;
  readonly deployments: ResourceClient<WorkloadObject>;
  readonly replicaSets: ResourceClient<WorkloadObject>;
  /** Every observation so far, in order. */
  readonly observations: Observation[];
  create(
    name: string,
    spec: Record<string, unknown>,
    metadata?: KubernetesObject['metadata'],
  ): Promise<WorkloadObject>;
  /** Read-modify-write of the deployment, retried on conflicts. */
  update(name: string, change: (d: WorkloadObject) => WorkloadObject): Promise<WorkloadObject>;
  /** Polls until `done` holds for the summary, checking `invariant` at every observation. */
  waitFor(name: string, done: (s: Summary) => boolean, invariant?: Invariant): Promise<Summary>;
  /** Observes for `ms`, checking `invariant` throughout; returns the last summary. */
  holdFor(name: string, ms: number, invariant?: Invariant): Promise<Summary>;
  /** The distinct non-empty revisions seen, in order. */
  revisionSequence(): string[];
  /**
   * Every distinct state of the ReplicaSets' spec.replicas, from a watch (so no write is missed):
   * sizes in the order the ReplicaSets appeared, e.g. ["2", "2,0", "1,0", "1,1", "0,1", "0,2"];
   * a deleted ReplicaSet drops out.
   */
  specSequence(): string[];
  /** How many pods were created in the namespace since the run started. */
  podsCreated(): number;
  /** The most pods not being deleted at once, over every state the pod watch reported. */
  maxLivePods(): number;
  /** Stops the watches. */
  close(): void;
}

export async function startRun(client: Client, flavor: Flavor, scenario: string): Promise<FlavorRun> {
  const namespace = `${scenario}-${flavor}`;
  await client.resource(kinds.Namespace).create({ metadata: { name: namespace } });
  const { deployment, replicaSet } = workloadKinds(flavor);
  const deployments = client.resource(deployment);
  const observations: Observation[] = [];
  const rsClient = client.resource(replicaSet);

  // Watch from the (empty) namespace's list version so every ReplicaSet write is seen.
  const sizes = new Map<string, number>();
  const specStates: string[] = [];
  const start = await rsClient.list({ namespace });
  const subscription = rsClient.watch({ namespace, resourceVersion: start.resourceVersion }).subscribe({
    next: (event) => {
      const rsName = event.object.metadata?.name ?? '';
      if (event.type === 'DELETED') sizes.delete(rsName);
      else if (event.type !== 'BOOKMARK') sizes.set(rsName, event.object.spec?.replicas ?? 0);
      specStates.push([...sizes.values()].join(','));
    },
    error: () => undefined,
  });

  async function check(name: string, invariant: Invariant): Promise<void> {
    const o = await observe(client, flavor, namespace, name);
    const broken = alwaysOnViolation(observations.at(-1), o) ?? invariant(o);
    observations.push(o);
    if (broken) throw new InvariantBroken(`${flavor}: invariant broken: ${broken} in ${JSON.stringify(o)}`);
  }

  const podStart = await client.resource(kinds.Pod).list({ namespace });
  let podsCreated = 0;
  // Pods not being deleted, as the watch reports them: every state, not only polled ones.
  const livePods = new Set<string>();
  let maxLivePods = 0;
  const podSubscription = client
    .resource(kinds.Pod)
    .watch({ namespace, resourceVersion: podStart.resourceVersion })
    .subscribe({
      next: (event) => {
        if (event.type === 'ADDED') podsCreated++;
        const podName = event.object.metadata?.name ?? '';
        if (event.type === 'DELETED' || event.object.metadata?.deletionTimestamp) livePods.delete(podName);
        else if (event.type !== 'BOOKMARK') livePods.add(podName);
        maxLivePods = Math.max(maxLivePods, livePods.size);
      },
      error: () => undefined,
    });

  return {
    flavor,
    namespace,
    deployments,
    replicaSets: rsClient,
    observations,
    create: (name, spec, metadata) =>
      deployments.create(deploymentObject(flavor, namespace, name, spec, metadata)),
    async update(name, change) {
      for (;;) {
        const current = await deployments.get({ namespace, name });
        try {
          return await deployments.update(change(current));
        } catch (error) {
          if (!isConflict(error)) throw error;
        }
      }
    },
    async waitFor(name, done, invariant = () => undefined) {
      // Not waitUntil: a broken invariant must end the wait at once, not count as "not yet".
      const deadline = Date.now() + 60_000;
      let lastError: unknown;
      for (;;) {
        try {
          await check(name, invariant);
          // Right after a spec change the annotations (or the ReplicaSets) can already be new while
          // the status is still the previous generation's: a state only counts, and is only
          // returned, once the status in that same read is current.
          const { summary, current } = await readSummary(client, flavor, namespace, name);
          if (current && done(summary)) {
            // The observation above may predate the state `done` just saw (the rollout finished in
            // between): record the settled state too, so sequences never depend on poll timing.
            await check(name, invariant);
            return summary;
          }
        } catch (error) {
          if (error instanceof InvariantBroken) throw error;
          lastError = error;
        }
        if (Date.now() > deadline)
          throw new Error(
            `${flavor} ${namespace}/${name} did not settle in 60 s; last observation ${JSON.stringify(observations.at(-1))}`,
            { cause: lastError },
          );
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async holdFor(name, ms, invariant = () => undefined) {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        await check(name, invariant);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return summarize(client, flavor, namespace, name);
    },
    revisionSequence: () => distinctSequence(observations.map((o) => o.revision).filter((r) => r !== '')),
    specSequence: () => distinctSequence(specStates.filter((state) => state !== '')),
    podsCreated: () => podsCreated,
    maxLivePods: () => maxLivePods,
    close: () => {
      subscription.unsubscribe();
      podSubscription.unsubscribe();
    },
  };
}

/** A full-tier control plane with our operator running in this process; the operator can be restarted. */
export interface ParityEnvironment {
  readonly plane: ControlPlane;
  /** An admin client for the test's own reads and writes. */
  readonly client: Client;
  /** Stops our operator (gracefully) without touching the cluster. */
  stopOperator(): Promise<void>;
  /** Starts a fresh operator process-equivalent: new manager, caches, queues and expectations. */
  startOperator(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * kube-controller-manager's garbage collector picks up newly installed CRD kinds only at its next
 * discovery resync. Until then it cannot orphan or foreground-delete their dependents (it deletes
 * an owner and later collects the "dangling" dependents), so scenarios 18 and 22 would race it.
 * Probe until an Orphan delete of one of our Deployments really orphans its ReplicaSet.
 */
async function waitForGarbageCollectorToTrackOurKinds(client: Client): Promise<void> {
  const namespace = 'gc-probe';
  await client.resource(kinds.Namespace).create({ metadata: { name: namespace } });
  const deployments = client.resource(deploymentKind);
  const replicaSets = client.resource(replicaSetKind);
  const labels = { probe: 'gc' };
  const template = { metadata: { labels }, spec: { containers: [{ name: 'probe', image: 'probe' }] } };
  let attempt = 0;
  await waitUntil(
    async () => {
      const name = `probe-${attempt++}`;
      const owner = await deployments.create({
        apiVersion: API_VERSION,
        kind: 'Deployment',
        metadata: { name, namespace },
        spec: { replicas: 0, selector: { matchLabels: labels }, template },
      });
      await replicaSets.create({
        apiVersion: API_VERSION,
        kind: 'ReplicaSet',
        metadata: {
          name,
          namespace,
          ownerReferences: [
            {
              apiVersion: API_VERSION,
              kind: 'Deployment',
              name,
              uid: owner.metadata?.uid ?? '',
              controller: true,
            },
          ],
        },
        spec: { replicas: 0, selector: { matchLabels: labels }, template },
      });
      await deployments.delete({ namespace, name }, { propagationPolicy: 'Orphan' });
      // Orphaned within a few seconds if the collector tracks our kinds; otherwise try again.
      return waitUntil(
        async () => {
          const rs = await replicaSets.get({ namespace, name });
          return (rs.metadata?.ownerReferences ?? []).length === 0;
        },
        { what: 'the probe ReplicaSet to be orphaned', timeoutMs: 5_000 },
      ).then(
        () => true,
        () => false,
      );
    },
    {
      what: 'the garbage collector to track the apps.typerator.dev kinds',
      timeoutMs: 120_000,
      intervalMs: 1_000,
    },
  );
}

export async function startParityEnvironment(): Promise<ParityEnvironment> {
  const plane = await startControlPlane({ tier: 'full', nodes: 3 });
  const client = await Client.fromKubeConfig(plane.kubeConfig());
  await installGeneratedCrds(client);
  await waitForGarbageCollectorToTrackOurKinds(client);
  let running: { stop: AbortController; done: Promise<void> } | undefined;

  async function startOperator(): Promise<void> {
    const manager = await Manager.create({
      kubeConfig: plane.kubeConfig(),
      metricsBindAddress: false,
      healthProbeBindAddress: false,
      logger: pino({ level: 'warn' }),
    });
    setupReplicaSetController(manager);
    setupDeploymentController(manager);
    const stop = new AbortController();
    running = { stop, done: manager.start(stop.signal) };
  }
  async function stopOperator(): Promise<void> {
    running?.stop.abort();
    await running?.done;
    running = undefined;
  }

  await startOperator();
  return {
    plane,
    client,
    startOperator,
    stopOperator,
    async stop() {
      await stopOperator();
      client.close();
      await plane.stop();
    },
  };
}

/**
 * One parity environment for the enclosing `describe` block: started before its tests, stopped
 * after them. Read `env` and `client` inside the tests.
 */
export function parityEnvironmentForSuite(): { readonly env: ParityEnvironment; readonly client: Client } {
  let env: ParityEnvironment | undefined;
  before(async () => {
    env = await startParityEnvironment();
  });
  after(async () => {
    await env?.stop();
  });
  const started = (): ParityEnvironment => {
    if (!env) throw new Error('the parity environment starts before the tests; read it inside one');
    return env;
  };
  return {
    get env() {
      return started();
    },
    get client() {
      return started().client;
    },
  };
}

/** What a scenario compares between the flavors. */
export interface Outcome {
  readonly summaries: Summary[];
  readonly revisions: string[];
  readonly specs?: string[];
  /** See {@link eventMessages}. */
  readonly events?: string[];
  readonly extra?: unknown;
}

/** Runs `scenario` for the built-in flavor, then ours, and requires equal outcomes. */
export async function parity(name: string, scenario: (flavor: Flavor) => Promise<Outcome>): Promise<void> {
  const outcomes = new Map<Flavor, Outcome>();
  for (const flavor of flavors) outcomes.set(flavor, await scenario(flavor));
  assert.deepEqual(outcomes.get('typerator'), outcomes.get('built-in'), `${name}: flavors differ`);
}

/** An invariant failed: not retried by waits. */
class InvariantBroken extends Error {}

/** The complete-rollout predicate of the spec: everything updated and available, Progressing done. */
export function completeAt(revision: string, replicas: number): (s: Summary) => boolean {
  return (s) =>
    s.revision === revision &&
    s.status['updatedReplicas'] === replicas &&
    s.status['availableReplicas'] === replicas &&
    s.status['replicas'] === replicas &&
    s.conditions.includes('Progressing=True/NewReplicaSetAvailable') &&
    s.replicaSets.every((rs) => rs.revision === revision || (rs.replicas === 0 && rs.statusReplicas === 0)) &&
    s.replicaSets.some(
      (rs) => rs.revision === revision && rs.replicas === replicas && rs.statusReplicas === replicas,
    ) &&
    s.pods === replicas;
}

// Steps most scenarios share.

/** A deployment spec selecting `labels`, with a one-container template running `image`. */
export function deploymentSpec(
  labels: Record<string, string>,
  image: string,
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...fields, selector: { matchLabels: labels }, template: podTemplate(labels, image) };
}

/** Creates the deployment and waits until revision 1 is complete at its spec.replicas (default 1). */
export async function createComplete(
  run: FlavorRun,
  name: string,
  spec: Record<string, unknown>,
  metadata?: KubernetesObject['metadata'],
): Promise<Summary> {
  await run.create(name, spec, metadata);
  const replicas = typeof spec['replicas'] === 'number' ? spec['replicas'] : 1;
  return run.waitFor(name, completeAt('1', replicas));
}

/** Changes the deployment's template to one selecting `labels` and running `image`. */
export function rollTo(
  run: FlavorRun,
  name: string,
  labels: Record<string, string>,
  image: string,
  options: { pendingUntil?: string } = {},
): Promise<WorkloadObject> {
  return run.update(name, (d) => withSpec(d, { template: podTemplate(labels, image, options) }));
}

/**
 * Closes the run and gathers what most scenarios compare: the summaries, the revision and
 * ReplicaSet-size sequences, the events with a reason in `reasons` (default SCALING_EVENTS), and
 * `extra` if given.
 */
export async function finish(
  client: Client,
  run: FlavorRun,
  summaries: Summary[],
  options: { readonly extra?: unknown; readonly reasons?: readonly string[] } = {},
): Promise<Outcome> {
  run.close();
  return {
    summaries,
    revisions: run.revisionSequence(),
    events: await eventMessages(client, run.namespace, options.reasons ?? SCALING_EVENTS),
    specs: run.specSequence(),
    ...(options.extra === undefined ? {} : { extra: options.extra }),
  };
}
