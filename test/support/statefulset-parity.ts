// Runs one StatefulSet scenario against either kube-controller-manager's StatefulSet controller or
// ours, observing both the same way: the pods through a watch (every creation and deletion, in
// order, with the ordering invariants checked at each), the set by polling (status invariants),
// and a summary at the end with revision names replaced by their numbers, so the flavors compare.
import assert from 'node:assert/strict';
import type { CoreV1Event, KubernetesObject, V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import type { Client } from '../../sdk/client/client.ts';
import { isConflict, isNotFound } from '../../sdk/client/errors.ts';
import type { ResourceClient } from '../../sdk/client/resource-client.ts';
import { kinds, type ResourceKind } from '../../sdk/client/resource-kind.ts';
import { waitUntil } from '../../sdk/testing/index.ts';
import {
  API_VERSION,
  type StatefulSet,
  type StatefulSetSpec,
} from '../../operators/statefulset/api/types.ts';
import { statefulSetKind } from '../../operators/statefulset/kinds.ts';
import { setupStatefulSetController } from '../../operators/statefulset/controllers/statefulset-controller.ts';
import type { Flavor } from './parity/flavor.ts';
import { loopsByName, type Invariant } from './parity/observation-loop.ts';
import { parityEnvironmentForSuite as environmentForSuite } from './parity/parity-environment.ts';
import { resumedWatch } from './parity/resumed-watch.ts';
import { settledEventMessages } from './parity/settled-events.ts';

export { flavors, parity, type Flavor } from './parity/flavor.ts';
export { podTemplate } from './parity/pod-templates.ts';

const REVISION_LABEL = 'controller-revision-hash';

/** The fields of a StatefulSet the harness reads; apps/v1's has the same shape. */
export type SetObject = StatefulSet;

export function setKind(flavor: Flavor): { kind: ResourceKind<SetObject>; apiVersion: string } {
  return flavor === 'built-in'
    ? { kind: kinds.StatefulSet as unknown as ResourceKind<SetObject>, apiVersion: 'apps/v1' }
    : { kind: statefulSetKind, apiVersion: API_VERSION };
}

const ordinalOf = (name: string): number => {
  const match = /-(\d+)$/.exec(name);
  return match ? Number(match[1]) : -1;
};
export const isPodReady = (pod: V1Pod): boolean =>
  pod.status?.phase === 'Running' &&
  (pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);
const isLive = (pod: V1Pod): boolean => pod.metadata?.deletionTimestamp === undefined;

/** One pod as an observation records it. */
export interface PodState {
  readonly name: string;
  readonly ordinal: number;
  readonly ready: boolean;
  readonly revision: string;
}

/** What one poll saw: the pods first, then the set (so the pods are never newer than the spec). */
export interface Observation {
  readonly uid: string;
  readonly generation: number;
  readonly observedGeneration: number;
  readonly replicas: number;
  readonly start: number;
  readonly partition: number;
  readonly currentRevision: string;
  readonly updateRevision: string;
  /** Live pods (not being deleted), by ordinal. */
  readonly pods: PodState[];
}

/** The end state: revision names replaced by their `.revision` numbers, so the flavors compare. */
export interface Summary {
  readonly status: Record<string, number>;
  readonly currentRevision: number;
  readonly updateRevision: number;
  /** The revision numbers of the set's ControllerRevisions, ascending. */
  readonly revisions: number[];
  /** `name@revision`, ready pods marked `+`, by ordinal. */
  readonly pods: string[];
  /** `name owner=<Set|Pod|none> phase`, of the claims not being deleted, by name. */
  readonly claims: string[];
}

async function readPods(client: Client, namespace: string): Promise<V1Pod[]> {
  return (await client.resource(kinds.Pod).list({ namespace })).items;
}

function podState(pod: V1Pod): PodState {
  const name = pod.metadata?.name ?? '';
  return {
    name,
    ordinal: ordinalOf(name),
    ready: isPodReady(pod),
    revision: pod.metadata?.labels?.[REVISION_LABEL] ?? '',
  };
}

/** Why pods are not Ready: phase, node, conditions with their messages, terminating or not. */
function describeUnreadyPods(pods: readonly V1Pod[]): string {
  return pods
    .filter((pod) => !isPodReady(pod))
    .map((pod) => {
      const conditions = (pod.status?.conditions ?? [])
        .map((c) => `${c.type}=${c.status}${c.message ? ` (${c.message})` : ''}`)
        .join(', ');
      const where = `${pod.status?.phase ?? 'no phase'} on ${pod.spec?.nodeName ?? 'no node'}`;
      return `${pod.metadata?.name ?? ''}: ${where}, ${conditions}${pod.metadata?.deletionTimestamp ? ', terminating' : ''}`;
    })
    .join('; ');
}

export async function observe(
  client: Client,
  flavor: Flavor,
  namespace: string,
  name: string,
): Promise<Observation> {
  const pods = (await readPods(client, namespace)).filter(isLive).map(podState);
  const set = await client.resource(setKind(flavor).kind).get({ namespace, name });
  const spec = set.spec;
  const rolling = spec.updateStrategy?.rollingUpdate;
  return {
    uid: set.metadata?.uid ?? '',
    generation: set.metadata?.generation ?? 0,
    observedGeneration: set.status?.observedGeneration ?? 0,
    replicas: spec.replicas ?? 1,
    start: spec.ordinals?.start ?? 0,
    partition: rolling?.partition ?? 0,
    currentRevision: set.status?.currentRevision ?? '',
    updateRevision: set.status?.updateRevision ?? '',
    pods: pods.sort((a, b) => a.ordinal - b.ordinal),
  };
}

/**
 * The spec's always-on StatefulSet invariants that one poll can judge: observedGeneration is
 * monotone, no two pods share an ordinal, and pods under the partition never run the update
 * revision while it differs from the current one.
 */
export function alwaysOnViolation(previous: Observation | undefined, o: Observation): string | undefined {
  const ordinals = o.pods.map((p) => p.ordinal);
  if (new Set(ordinals).size !== ordinals.length) return `two pods share an ordinal: ${ordinals.join(',')}`;
  if (o.partition > 0 && o.updateRevision !== '' && o.updateRevision !== o.currentRevision) {
    const early = o.pods.find(
      (p) => p.ordinal >= o.start && p.ordinal < o.partition && p.revision === o.updateRevision,
    );
    if (early) return `${early.name} is under partition ${o.partition} but runs the update revision`;
  }
  if (previous?.uid === o.uid && o.observedGeneration < previous.observedGeneration)
    return `observedGeneration went from ${previous.observedGeneration} to ${o.observedGeneration}`;
  return undefined;
}

/** A poll-time invariant: at most `n` in-range replicas missing or not Ready while the update revision differs. */
export function atMostUnavailableDuringUpdate(n: number): Invariant<Observation> {
  return (_previous, o) => {
    if (o.updateRevision === '' || o.updateRevision === o.currentRevision) return undefined;
    const inRange = o.pods.filter((p) => p.ordinal >= o.start && p.ordinal < o.start + o.replicas);
    const unavailable = o.replicas - inRange.filter((p) => p.ready).length;
    return unavailable > n
      ? `${unavailable} replicas unavailable during an update (at most ${n})`
      : undefined;
  };
}

/** Revision names mapped to their numbers, for the set with `uid`. */
async function revisionNumbers(client: Client, namespace: string, uid: string): Promise<Map<string, number>> {
  const revisions = await client.resource(kinds.ControllerRevision).list({ namespace });
  return new Map(
    revisions.items
      .filter((r) => r.metadata?.ownerReferences?.some((ref) => ref.controller && ref.uid === uid))
      .map((r) => [r.metadata?.name ?? '', r.revision]),
  );
}

function claimOwner(claim: V1PersistentVolumeClaim): string {
  const refs = claim.metadata?.ownerReferences ?? [];
  if (refs.length === 0) return 'none';
  return refs
    .map((ref) => `${ref.kind}${ref.controller ? '(controller)' : ''}`)
    .sort()
    .join('+');
}

export async function readSummary(
  client: Client,
  flavor: Flavor,
  namespace: string,
  name: string,
): Promise<{ summary: Summary; current: boolean }> {
  const set = await client.resource(setKind(flavor).kind).get({ namespace, name });
  const numbers = await revisionNumbers(client, namespace, set.metadata?.uid ?? '');
  const number = (revision: string | undefined) => numbers.get(revision ?? '') ?? 0;
  const pods = (await readPods(client, namespace)).filter(isLive).map(podState);
  const claims = (await client.resource(kinds.PersistentVolumeClaim).list({ namespace })).items.filter(
    (c) => c.metadata?.deletionTimestamp === undefined,
  );
  const s = set.status;
  const summary: Summary = {
    // apps/v1 omits zero counters (Go omitempty) where our CRD status writes 0: absent means 0.
    status: {
      replicas: s?.replicas ?? 0,
      readyReplicas: s?.readyReplicas ?? 0,
      currentReplicas: s?.currentReplicas ?? 0,
      updatedReplicas: s?.updatedReplicas ?? 0,
      availableReplicas: s?.availableReplicas ?? 0,
      observedGeneration: s?.observedGeneration ?? 0,
      collisionCount: s?.collisionCount ?? 0,
    },
    currentRevision: number(s?.currentRevision),
    updateRevision: number(s?.updateRevision),
    revisions: [...numbers.values()].sort((a, b) => a - b),
    pods: pods
      .sort((a, b) => a.ordinal - b.ordinal)
      .map((p) => `${p.name}@${numbers.get(p.revision) ?? '?'}${p.ready ? '+' : ''}`),
    claims: claims
      .map((c) => `${c.metadata?.name ?? ''} owner=${claimOwner(c)} ${c.status?.phase ?? ''}`)
      .sort(),
  };
  return { summary, current: (s?.observedGeneration ?? 0) >= (set.metadata?.generation ?? 0) };
}

/** The replica range of the spec the test wrote last: ordinals `[start, start + replicas)`. */
export interface ReplicaRange {
  readonly start: number;
  readonly replicas: number;
}

/** Checks the live pods after a watch event: the creation/deletion just seen, against the others. */
export type PodEventInvariant = (
  event: { readonly action: '+' | '-'; readonly pod: PodState },
  live: ReadonlyMap<string, PodState>,
  range: ReplicaRange,
) => string | undefined;

const outOfRange = (ordinal: number, { start, replicas }: ReplicaRange) =>
  ordinal < start || ordinal >= start + replicas;

/**
 * OrderedReady: a pod is created only when every lower ordinal from `start` exists and is Ready
 * (the controller halts on an unhealthy predecessor); a condemned pod (out of range) is deleted
 * only when no condemned pod with a higher ordinal is left (scale-down from the top). Gaps the
 * test makes itself (deleting pods) are the scenario's to exempt, by not using this invariant.
 */
export const orderedReady: PodEventInvariant = (event, live, range) => {
  const { ordinal, name } = event.pod;
  if (event.action === '+') {
    for (let lower = range.start; lower < ordinal; lower++) {
      const predecessor = [...live.values()].find((p) => p.ordinal === lower);
      if (!predecessor) return `${name} created while ordinal ${lower} is missing`;
      if (!predecessor.ready) return `${name} created while ${predecessor.name} is not Ready`;
    }
    return undefined;
  }
  if (!outOfRange(ordinal, range)) return undefined;
  const higher = [...live.values()].find((p) => p.ordinal > ordinal && outOfRange(p.ordinal, range));
  return higher ? `${name} deleted before ${higher.name}` : undefined;
};

/**
 * One flavor's run of a scenario in its own namespace: writes through the flavor's kind, every
 * observation checked and kept, the pods followed through a watch.
 */
export interface FlavorRun {
  readonly flavor: Flavor;
  readonly namespace: string;
  readonly sets: ResourceClient<SetObject>;
  readonly pods: ResourceClient<V1Pod>;
  create(name: string, spec: StatefulSetSpec, metadata?: KubernetesObject['metadata']): Promise<SetObject>;
  /** Read-modify-write of the set's spec, retried on conflicts. */
  update(name: string, change: (spec: StatefulSetSpec) => StatefulSetSpec): Promise<SetObject>;
  /** Sets the pod's Ready condition (and phase Running), as a kubelet would report a probe. */
  setReady(pod: string, ready: boolean, options?: { readonly mayBeGone?: boolean }): Promise<void>;
  /** Sets the pod's phase to Failed or Succeeded, as a kubelet would when its containers end. */
  setPhase(pod: string, phase: 'Failed' | 'Succeeded'): Promise<void>;
  /** Polls until `done` holds for a current summary, checking the invariants at every observation. */
  waitFor(
    name: string,
    done: (s: Summary) => boolean,
    invariant?: Invariant<Observation>,
    timeoutMs?: number,
  ): Promise<Summary>;
  /** Observes for `ms`, checking the invariants throughout; returns the last summary. */
  holdFor(name: string, ms: number, invariant?: Invariant<Observation>): Promise<Summary>;
  /** Pod creations (`+web-0`) and deletions (`-web-2`) in the order the watch reported them. */
  actions(): string[];
  /** How many pod actions the watch has reported so far, once it agrees with a fresh list. */
  mark(): Promise<number>;
  /** Watch-time invariant violations so far (see {@link PodEventInvariant}). */
  violations(): string[];
  /** Waits until the watch agrees with a fresh list, then stops it. */
  close(): Promise<void>;
}

export interface RunOptions {
  /** Checked at every pod creation and deletion the watch reports. */
  readonly podInvariant?: PodEventInvariant;
}

export async function startRun(
  client: Client,
  flavor: Flavor,
  scenario: string,
  options: RunOptions = {},
): Promise<FlavorRun> {
  const namespace = `${scenario}-${flavor}`;
  await client.resource(kinds.Namespace).create({ metadata: { name: namespace } });
  const { kind, apiVersion } = setKind(flavor);
  const sets = client.resource(kind);
  const podsApi = client.resource(kinds.Pod);
  const observations: Observation[] = [];
  const loopFor = loopsByName<Observation, Summary>(
    (name) => ({
      label: `${flavor} ${namespace}/${name}`,
      observe: () => observe(client, flavor, namespace, name),
      alwaysOn: alwaysOnViolation,
      readSummary: () => readSummary(client, flavor, namespace, name),
      diagnose: async () => describeUnreadyPods(await readPods(client, namespace)),
    }),
    observations,
  );

  // The range of the spec last written, for the pod invariant: the controllers act only after it.
  let range: ReplicaRange = { start: 0, replicas: 0 };
  const wrote = (set: SetObject): SetObject => {
    range = { start: set.spec.ordinals?.start ?? 0, replicas: set.spec.replicas ?? 1 };
    return set;
  };

  // The pods, from the (empty) namespace's list version, so every creation and deletion is seen.
  const live = new Map<string, PodState>();
  const actions: string[] = [];
  const violations: string[] = [];
  const listed = await podsApi.list({ namespace });
  const subscription = resumedWatch(
    podsApi,
    namespace,
    listed.resourceVersion,
    (event) => {
      const pod = podState(event.object);
      const gone = event.type === 'DELETED' || !isLive(event.object);
      const known = live.has(pod.name);
      if (gone) {
        if (!known) return;
        live.delete(pod.name);
        actions.push(`-${pod.name}`);
        const broken = options.podInvariant?.({ action: '-', pod }, live, range);
        if (broken) violations.push(broken);
        return;
      }
      live.set(pod.name, pod);
      if (!known) {
        actions.push(`+${pod.name}`);
        const broken = options.podInvariant?.({ action: '+', pod }, live, range);
        if (broken) violations.push(broken);
      }
    },
    (error: unknown) => violations.push(`the pod watch lost events: ${String(error)}`),
  );

  const caughtUp = () =>
    waitUntil(
      async () => {
        const current = (await podsApi.list({ namespace })).items.filter(isLive);
        return current.length === live.size && current.every((p) => live.has(p.metadata?.name ?? ''));
      },
      { what: `the ${namespace} pod watch to catch up`, timeoutMs: 10_000, intervalMs: 20 },
    ).catch(() => {
      violations.push('the pod watch did not catch up');
    });

  const patchPodStatus = async (pod: string, status: Record<string, unknown>, mayBeGone = false) => {
    try {
      await podsApi.patchStatus({ namespace, name: pod }, { status }, { type: 'strategic' });
    } catch (error) {
      if (mayBeGone && isNotFound(error)) return;
      throw new Error(
        `${flavor}: could not set the status of ${pod}; pod actions so far: ${actions.join(' ')}`,
        {
          cause: error,
        },
      );
    }
  };

  return {
    flavor,
    namespace,
    sets,
    pods: podsApi,
    create: async (name, spec, metadata = {}) =>
      wrote(
        await sets.create({
          apiVersion,
          kind: 'StatefulSet',
          metadata: { ...metadata, name, namespace },
          spec,
        }),
      ),
    async update(name, change) {
      for (;;) {
        const current = await sets.get({ namespace, name });
        const next = { ...current, spec: change(current.spec) };
        // Set before the write: the controller may act on it before the response arrives.
        const before = range;
        wrote(next);
        try {
          return await sets.update(next);
        } catch (error) {
          range = before;
          if (!isConflict(error)) throw error;
        }
      }
    },
    async setReady(pod, ready, options = {}) {
      await patchPodStatus(
        pod,
        {
          phase: 'Running',
          conditions: [
            { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date().toISOString() },
          ],
        },
        options.mayBeGone,
      );
    },
    async setPhase(pod, phase) {
      await patchPodStatus(pod, {
        phase,
        conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: new Date().toISOString() }],
      });
    },
    waitFor: (name, done, invariant, timeoutMs) => loopFor(name).waitFor(done, invariant, timeoutMs),
    holdFor: (name, ms, invariant) => loopFor(name).holdFor(ms, invariant),
    actions: () => [...actions],
    async mark() {
      await caughtUp();
      return actions.length;
    },
    violations: () => [...violations],
    async close() {
      await caughtUp();
      subscription.close();
    },
  };
}

/**
 * Writes that lost a race: another writer (the volume binder, a kubelet) changed the object first,
 * or a stale cache asked to delete a pod already gone.
 */
const lostRace = (message: string) =>
  message.includes('the object has been modified') || / not found$/.test(message);

/**
 * The StatefulSet events both controllers record for pods and claims, in a comparable form, and
 * how many report a lost race. Races depend on timing, not behaviour: they are counted apart, not
 * compared one by one. (kube-controller-manager's recorder also drops events beyond a burst of 25
 * per object, so a scenario keeps each set under that.)
 */
export async function statefulSetEvents(
  client: Client,
  namespace: string,
): Promise<{ events: string[]; races: number }> {
  const all = await settledEventMessages(
    client,
    namespace,
    (e: CoreV1Event) =>
      e.involvedObject.kind === 'StatefulSet'
        ? `${e.type ?? ''} ${e.reason ?? ''}: ${e.message ?? ''}`
        : undefined,
    EVENT_QUIET_MS,
  );
  return { events: all.filter((e) => !lostRace(e)), races: all.filter(lostRace).length };
}

/**
 * A scenario's events count as all there once none arrived for this long: kube-controller-manager's
 * event writes share its rate-limited client with the volume binder and the garbage collector.
 */
const EVENT_QUIET_MS = 1_500;

/** Lost races a run may meet, retrying, before it counts as a defect (a stale copy retried). */
const RACES_TOLERATED = 4;

/** What a StatefulSet scenario compares between the flavors. */
export interface Outcome {
  readonly summaries: Summary[];
  readonly actions: string[];
  readonly events: string[];
  readonly extra?: unknown;
}

/**
 * Closes the run and gathers the outcome; fails if the pod watch saw an invariant broken. Parallel
 * creates and deletes in batches, and the garbage collector deletes a set's pods, in no defined
 * order: `unordered` sorts all the pod actions, `unorderedSpans` (pairs of {@link FlavorRun.mark}s,
 * end excluded) only those in each span.
 */
export async function finish(
  client: Client,
  run: FlavorRun,
  summaries: Summary[],
  options: {
    readonly unordered?: boolean;
    readonly unorderedSpans?: readonly (readonly [number, number])[];
    /**
     * With claims, the volume binder updates each new claim while the controllers set its owner
     * references, and which of them loses decides whether a pod's create or a later update event is
     * recorded (upstream skips the create event when the claim update after it fails). Such
     * scenarios compare only the events races cannot change: claim creations and pod deletions. The
     * pod creations themselves are compared exactly, from the watch.
     */
    readonly claimRaces?: boolean;
    readonly extra?: unknown;
  } = {},
): Promise<Outcome> {
  await run.close();
  assert.deepEqual(
    run.violations(),
    [],
    `${run.flavor}: invariants broken; pod actions ${run.actions().join(' ')}`,
  );
  const actions = run.actions();
  const { events: all, races } = await statefulSetEvents(client, run.namespace);
  // Distinct messages: a controller whose cache lags may repeat a write that succeeds again (a
  // second delete of a terminating pod), so counts are a race too; the pod watch counts exactly.
  const distinct = [...new Set(all)];
  const events = options.claimRaces ? distinct.filter((e) => / Claim | delete Pod /.test(e)) : distinct;
  // Bounded for ours only: kube-controller-manager's count is what it is (6 seen in one run).
  if (run.flavor === 'typerator')
    assert.ok(
      races <= RACES_TOLERATED,
      `typerator: ${races} writes lost a race (at most ${RACES_TOLERATED})`,
    );
  const spans = options.unordered ? [[0, actions.length] as const] : (options.unorderedSpans ?? []);
  for (const [from, to] of spans) actions.splice(from, to - from, ...actions.slice(from, to).sort());
  return {
    summaries,
    actions,
    events,
    ...(options.extra === undefined ? {} : { extra: options.extra }),
  };
}

/** A set is settled at `replicas` when every replica exists, is Ready, and runs the update revision. */
export function settledAt(replicas: number): (s: Summary) => boolean {
  return (s) =>
    s.status['replicas'] === replicas &&
    s.status['readyReplicas'] === replicas &&
    s.status['updatedReplicas'] === replicas &&
    s.pods.length === replicas &&
    s.pods.every((p) => p.endsWith('+'));
}

/** A spec selecting `labels` with one container running `image`. */
export function setSpec(
  labels: Record<string, string>,
  image: string,
  fields: Partial<StatefulSetSpec> = {},
): StatefulSetSpec {
  return {
    serviceName: 'svc',
    ...fields,
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { containers: [{ name: 'app', image }] } },
  };
}

/**
 * One parity environment for the enclosing `describe` block, running our StatefulSet controller
 * beside kube-controller-manager's. Read `env` and `client` inside the tests.
 */
export function parityEnvironmentForSuite(): ReturnType<typeof environmentForSuite> {
  return environmentForSuite({
    setup: (manager) => {
      setupStatefulSetController(manager);
    },
    probe: {
      kind: statefulSetKind,
      object: (namespace, name) => ({
        apiVersion: API_VERSION,
        kind: 'StatefulSet',
        metadata: { name, namespace },
        spec: { ...setSpec({ probe: 'gc' }, 'probe'), replicas: 0 },
      }),
    },
  });
}
