// Runs one Deployment scenario against either the built-in apps/v1 controllers (in
// kube-controller-manager) or our operator, observing the same things the same way, so a test can
// check invariants at every observation and compare the two runs.
import type { KubernetesObject, V1PodTemplateSpec } from '@kubernetes/client-node';
import type { Client } from '../../sdk/client/client.ts';
import { isConflict } from '../../sdk/client/errors.ts';
import type { ResourceClient } from '../../sdk/client/resource-client.ts';
import type { ResourceKind } from '../../sdk/client/resource-kind.ts';
import { kinds } from '../../sdk/client/resource-kind.ts';
import { API_VERSION } from '../../operators/deployment/api/types.ts';
import { deploymentKind, replicaSetKind } from '../../operators/deployment/kinds.ts';
import { templatesEqualIgnoringHash } from '../../operators/deployment/logic/hash.ts';
import { setupDeploymentController } from '../../operators/deployment/controllers/deployment-controller.ts';
import { setupReplicaSetController } from '../../operators/deployment/controllers/replica-set-controller.ts';
import { distinctSequence, type Flavor } from './parity/flavor.ts';
import { loopsByName } from './parity/observation-loop.ts';
import { parityEnvironmentForSuite as environmentForSuite } from './parity/parity-environment.ts';
import { podTemplate } from './parity/pod-templates.ts';
import { resumedWatch } from './parity/resumed-watch.ts';
import { settledEventMessages } from './parity/settled-events.ts';

export { flavors, parity, distinctSequence, type Flavor } from './parity/flavor.ts';
export { NEVER_LABEL, podTemplate, labelledNode } from './parity/pod-templates.ts';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';

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

/**
 * The deployments' events with a reason in `reasons`, ReplicaSet names replaced by X, sorted: event
 * times have one-second resolution, so this compares them as a multiset.
 */
export function eventMessages(
  client: Client,
  namespace: string,
  reasons: readonly string[],
): Promise<string[]> {
  return settledEventMessages(client, namespace, (e) =>
    e.involvedObject.kind === 'Deployment' && reasons.includes(e.reason ?? '')
      ? `${e.type ?? ''} ${e.reason ?? ''}: ${(e.message ?? '').replace(/ [a-z0-9-]+-[4-9bcdf]{1,10}\b/g, ' X')}`
      : undefined,
  );
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
  // A watch that lost events makes every count it feeds wrong: say so instead of counting on.
  const watchFailures: unknown[] = [];
  const counted = <T>(value: T): T => {
    if (watchFailures.length > 0)
      throw new Error(`${flavor}: a watch lost events, so its counts are wrong`, { cause: watchFailures[0] });
    return value;
  };
  const subscription = resumedWatch(
    rsClient,
    namespace,
    start.resourceVersion,
    (event) => {
      const rsName = event.object.metadata?.name ?? '';
      if (event.type === 'DELETED') sizes.delete(rsName);
      else sizes.set(rsName, event.object.spec?.replicas ?? 0);
      specStates.push([...sizes.values()].join(','));
    },
    (error) => watchFailures.push(error),
  );

  // One loop per deployment name, sharing the run's observations.
  const loopFor = loopsByName<Observation, Summary>(
    (name) => ({
      label: `${flavor} ${namespace}/${name}`,
      observe: () => observe(client, flavor, namespace, name),
      alwaysOn: alwaysOnViolation,
      readSummary: () => readSummary(client, flavor, namespace, name),
    }),
    observations,
  );
  const lift = (invariant: Invariant) => (_previous: Observation | undefined, o: Observation) => invariant(o);

  // Revisions from a watch too: a poll can miss one that lasts a few milliseconds (ours moved from
  // revision 3 to 4 between two polls in a rollback scenario, kube-controller-manager did not).
  const revisions: string[] = [];
  const deploymentStart = await deployments.list({ namespace });
  const revisionSubscription = resumedWatch(
    deployments,
    namespace,
    deploymentStart.resourceVersion,
    (event) => {
      const revision = event.object.metadata?.annotations?.[REVISION] ?? '';
      if (event.type !== 'DELETED' && revision !== '') revisions.push(revision);
    },
    (error) => watchFailures.push(error),
  );

  const podStart = await client.resource(kinds.Pod).list({ namespace });
  let podsCreated = 0;
  // Pods not being deleted, as the watch reports them: every state, not only polled ones.
  const livePods = new Set<string>();
  let maxLivePods = 0;
  const podSubscription = resumedWatch(
    client.resource(kinds.Pod),
    namespace,
    podStart.resourceVersion,
    (event) => {
      if (event.type === 'ADDED') podsCreated++;
      const podName = event.object.metadata?.name ?? '';
      if (event.type === 'DELETED' || event.object.metadata?.deletionTimestamp) livePods.delete(podName);
      else livePods.add(podName);
      maxLivePods = Math.max(maxLivePods, livePods.size);
    },
    (error) => watchFailures.push(error),
  );

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
    waitFor: (name, done, invariant = () => undefined) => loopFor(name).waitFor(done, lift(invariant)),
    holdFor: (name, ms, invariant = () => undefined) => loopFor(name).holdFor(ms, lift(invariant)),
    revisionSequence: () => counted(distinctSequence(revisions)),
    specSequence: () => counted(distinctSequence(specStates.filter((state) => state !== ''))),
    podsCreated: () => counted(podsCreated),
    maxLivePods: () => counted(maxLivePods),
    close: () => {
      subscription.close();
      revisionSubscription.close();
      podSubscription.close();
    },
  };
}

/**
 * One parity environment for the enclosing `describe` block, running our ReplicaSet and Deployment
 * controllers beside kube-controller-manager's. Read `env` and `client` inside the tests.
 */
export function parityEnvironmentForSuite(): ReturnType<typeof environmentForSuite> {
  return environmentForSuite({
    setup(manager) {
      setupReplicaSetController(manager);
      setupDeploymentController(manager);
    },
    probe: {
      kind: deploymentKind,
      object: (namespace, name) =>
        deploymentObject('typerator', namespace, name, {
          replicas: 0,
          selector: { matchLabels: { probe: 'gc' } },
          template: podTemplate({ probe: 'gc' }, 'probe'),
        }),
    },
  });
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
