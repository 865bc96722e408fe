import type { V1ObjectMeta, V1Pod } from '@kubernetes/client-node';
import type { ReplicaSet } from '../api/types.ts';
import { POD_DELETION_COST_ANNOTATION } from './annotations.ts';
import { labelSelectorMatcher, type LabelMatcher } from './label-selector.ts';
import { isPodActive, isPodReady, podReadyCondition } from './pod-predicates.ts';
import { timeMillis } from './timestamps.ts';

// When a ReplicaSet has too many pods, the cheapest to lose go first: not yet running, not ready,
// marked cheap by the user, crowded on one node, ready most recently, crash-looping, youngest.

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * The pod-deletion-cost annotation as an int32; 0 when missing or malformed (a leading zero or a
 * plus sign is malformed, as in upstream's validation).
 */
export function podDeletionCost(pod: V1Pod): number {
  const text = pod.metadata?.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (text === undefined || !/^(0|-?[1-9]\d*|-0)$/.test(text)) return 0;
  const cost = Number(text);
  return cost < INT32_MIN || cost > INT32_MAX ? 0 : cost;
}

const PHASE_ORDER: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };
const phaseOrder = (pod: V1Pod) => PHASE_ORDER[pod.status?.phase ?? ''] ?? 0;

/**
 * The bucket of an age: ⌊log2(age in nanoseconds)⌋, −1 for ages ≤ 0. Nanoseconds because that is
 * the unit upstream takes the logarithm in, so buckets fall at the same instants.
 */
export function logarithmicBucket(time: number, now: number): number {
  const ageNanos = (now - time) * 1e6;
  return ageNanos > 0 ? Math.floor(Math.log2(ageNanos)) : -1;
}

/** Highest restartCount among regular containers, then among restartable (sidecar) init containers. */
function maxRestarts(pod: V1Pod): { regular: number; sidecar: number } {
  const regular = Math.max(0, ...(pod.status?.containerStatuses ?? []).map((s) => s.restartCount));
  const sidecarNames = new Set(
    (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name),
  );
  const sidecar = Math.max(
    0,
    ...(pod.status?.initContainerStatuses ?? [])
      .filter((s) => sidecarNames.has(s.name))
      .map((s) => s.restartCount),
  );
  return { regular, sidecar };
}

const uidOf = (pod: V1Pod) => pod.metadata?.uid ?? '';

/**
 * Compares two timestamps for "more recent goes first": a missing time counts as most recent;
 * otherwise log2 age buckets relative to `now`, ties in a bucket broken by UID.
 */
function compareRecency(
  a: V1Pod,
  ta: number | undefined,
  b: V1Pod,
  tb: number | undefined,
  now: number,
): number {
  if (ta === tb) return 0;
  if (ta === undefined) return -1;
  if (tb === undefined) return 1;
  const diff = logarithmicBucket(ta, now) - logarithmicBucket(tb, now);
  if (diff !== 0) return diff;
  return uidOf(a) < uidOf(b) ? -1 : uidOf(a) > uidOf(b) ? 1 : 0;
}

/** Input of one comparison: the pod and its rank (related active pods on its node). */
export interface RankedPod {
  readonly pod: V1Pod;
  readonly rank: number;
}

/**
 * Orders pods for deletion, those to delete first first:
 * 1. unscheduled before scheduled; 2. Pending, Unknown, then Running; 3. not ready before ready;
 * 4. lower pod-deletion-cost; 5. higher rank; 6. both ready: more recently ready (log2 buckets);
 * 7. more container restarts (then sidecar restarts); 8. more recently created (log2 buckets).
 */
export function compareForDeletion(a: RankedPod, b: RankedPod, now: number): number {
  const nodeA = a.pod.spec?.nodeName ?? '';
  const nodeB = b.pod.spec?.nodeName ?? '';
  if (nodeA !== nodeB && (nodeA === '' || nodeB === '')) return nodeA === '' ? -1 : 1;
  const phase = phaseOrder(a.pod) - phaseOrder(b.pod);
  if (phase !== 0) return phase;
  const readyA = isPodReady(a.pod);
  const readyB = isPodReady(b.pod);
  if (readyA !== readyB) return readyA ? 1 : -1;
  const cost = podDeletionCost(a.pod) - podDeletionCost(b.pod);
  if (cost !== 0) return cost;
  if (a.rank !== b.rank) return b.rank - a.rank;
  if (readyA && readyB) {
    const readySince = (pod: V1Pod) => timeMillis(podReadyCondition(pod)?.lastTransitionTime);
    const recency = compareRecency(a.pod, readySince(a.pod), b.pod, readySince(b.pod), now);
    if (recency !== 0) return recency;
  }
  const restartsA = maxRestarts(a.pod);
  const restartsB = maxRestarts(b.pod);
  if (restartsA.regular !== restartsB.regular) return restartsB.regular - restartsA.regular;
  if (restartsA.sidecar !== restartsB.sidecar) return restartsB.sidecar - restartsA.sidecar;
  const createdAt = (pod: V1Pod) => timeMillis(pod.metadata?.creationTimestamp);
  return compareRecency(a.pod, createdAt(a.pod), b.pod, createdAt(b.pod), now);
}

/**
 * Each pod's rank: how many active pods of `relatedPods` (all pods of the ReplicaSets sharing the
 * same controller, i.e. the whole Deployment) run on its node.
 */
export function podRanks(pods: readonly V1Pod[], relatedPods: readonly V1Pod[]): number[] {
  const perNode = new Map<string, number>();
  for (const pod of relatedPods) {
    if (!isPodActive(pod)) continue;
    const node = pod.spec?.nodeName ?? '';
    perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  return pods.map((pod) => perNode.get(pod.spec?.nodeName ?? '') ?? 0);
}

const controllerUid = (meta: V1ObjectMeta | undefined) =>
  meta?.ownerReferences?.find((ref) => ref.controller === true)?.uid;

/**
 * The pods whose per-node counts give `rs`'s pods their rank (upstream's "indirectly related"
 * pods): for every ReplicaSet in `replicaSets` with the same controller as `rs` (the whole
 * Deployment, `rs` included), the pods of `pods` its selector matches, whoever owns them, each pod
 * once. A ReplicaSet without a controller has no related ReplicaSets, so every rank is 0; one with
 * an invalid selector matches nothing.
 */
export function relatedPodsForRanking(
  rs: ReplicaSet,
  replicaSets: readonly ReplicaSet[],
  pods: readonly V1Pod[],
): V1Pod[] {
  const owner = controllerUid(rs.metadata);
  if (owner === undefined) return [];
  const matchers: LabelMatcher[] = [];
  for (const sibling of replicaSets) {
    if (controllerUid(sibling.metadata) !== owner) continue;
    try {
      matchers.push(labelSelectorMatcher(sibling.spec.selector));
    } catch {
      // An invalid selector matches no pods.
    }
  }
  return pods.filter((pod) => matchers.some((matches) => matches(pod.metadata?.labels)));
}

/** The pods in deletion order (see compareForDeletion). */
export function rankPodsForDeletion(
  pods: readonly V1Pod[],
  relatedPods: readonly V1Pod[],
  now: number,
): V1Pod[] {
  const ranks = podRanks(pods, relatedPods);
  return pods
    .map((pod, i) => ({ pod, rank: ranks[i] ?? 0 }))
    .sort((a, b) => compareForDeletion(a, b, now))
    .map((ranked) => ranked.pod);
}

/** The `diff` pods a ReplicaSet deletes when it has `diff` too many (no ranking when all go). */
export function podsToDelete(
  pods: readonly V1Pod[],
  relatedPods: readonly V1Pod[],
  diff: number,
  now: number,
): V1Pod[] {
  if (diff >= pods.length) return [...pods];
  return rankPodsForDeletion(pods, relatedPods, now).slice(0, Math.max(0, diff));
}
