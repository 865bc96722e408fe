import type { Deployment, ReplicaSet } from '../api/types.ts';
import { MAX_REPLICAS_ANNOTATION } from './annotations.ts';
import { desiredReplicas, isRollingUpdate, replicaSetReplicas } from './deployment-spec.ts';
import { maxSurge } from './fenceposts.ts';
import {
  activeReplicaSets,
  compareByCreation,
  findActiveOrLatest,
  integerAnnotation,
  isSaturated,
  totalSpecReplicas,
} from './replica-sets.ts';
import { scaleAction, type ScaleAction } from './scale-action.ts';

// A scaling event (spec.replicas changed, or the Deployment is paused) in the middle of a rollout
// must not restart it: every active ReplicaSet keeps its share of the pods.

/** Rounds half away from zero, like Go's integer.RoundToInt32 (Math.round rounds -2.5 to -2). */
export function roundHalfAwayFromZero(value: number): number {
  return Math.sign(value) * Math.floor(Math.abs(value) + 0.5);
}

/** Larger first; equal sizes put the newer ReplicaSet first (it takes additions first). */
export function compareBySizeNewerFirst(a: ReplicaSet, b: ReplicaSet): number {
  return replicaSetReplicas(b) - replicaSetReplicas(a) || compareByCreation(b, a);
}

/** Larger first; equal sizes put the older ReplicaSet first (it gives up pods first). */
export function compareBySizeOlderFirst(a: ReplicaSet, b: ReplicaSet): number {
  return replicaSetReplicas(b) - replicaSetReplicas(a) || compareByCreation(a, b);
}

/**
 * The change this ReplicaSet's share calls for: its size scaled from the max-replicas it was sized
 * for (fallback status.replicas of the Deployment) to replicas + maxSurge, rounded half away from
 * zero. Scaling to 0 removes it whole. An unknown or zero base gives 0, leaving the ReplicaSet
 * to the leftover rule rather than dividing by zero.
 */
export function replicaSetFraction(d: Deployment, rs: ReplicaSet): number {
  const size = replicaSetReplicas(rs);
  const replicas = desiredReplicas(d);
  if (replicas === 0) return -size;
  const base = integerAnnotation(rs, MAX_REPLICAS_ANNOTATION) ?? d.status?.replicas ?? 0;
  if (base <= 0) return 0;
  return roundHalfAwayFromZero((size * (replicas + maxSurge(d))) / base) - size;
}

/**
 * The share of `toAdd` this ReplicaSet gets, bounded by what is still left to add (or remove).
 * Empty ReplicaSets never grow this way.
 */
export function proportion(d: Deployment, rs: ReplicaSet, toAdd: number, added: number): number {
  if (replicaSetReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(d, rs);
  const left = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, left) : Math.max(fraction, left);
}

/**
 * The resizes of a sync on a scaling event or while paused (upstream `scale`):
 * 1. At most one active ReplicaSet: it (or the new RS, or the newest old one) takes spec.replicas;
 *    this may grow an old ReplicaSet.
 * 2. A saturated new RS: every active old ReplicaSet goes to 0.
 * 3. RollingUpdate: replicas + maxSurge − Σ spec is spread over the active ReplicaSets in
 *    proportion to their size, largest first, the leftover going to the largest (clamped at 0).
 *    Every active ReplicaSet gets an action, even at an unchanged size, so its desired-replicas
 *    and max-replicas annotations are rewritten.
 * Cases 1 and 2 only list ReplicaSets whose size changes. Recreate gets nothing in case 3.
 */
export function planScale(
  d: Deployment,
  newRS: ReplicaSet | undefined,
  oldRSs: readonly ReplicaSet[],
): ScaleAction[] {
  const replicas = desiredReplicas(d);
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest !== undefined) {
    return replicaSetReplicas(activeOrLatest) === replicas ? [] : [scaleAction(activeOrLatest, replicas)];
  }
  const activeOld = activeReplicaSets(oldRSs);
  if (isSaturated(d, newRS)) return activeOld.map((rs) => scaleAction(rs, 0));
  if (!isRollingUpdate(d)) return [];

  const active = activeReplicaSets([...oldRSs, newRS]);
  const allowed = replicas > 0 ? replicas + maxSurge(d) : 0;
  const toAdd = allowed - totalSpecReplicas(active);
  if (toAdd > 0) active.sort(compareBySizeNewerFirst);
  else if (toAdd < 0) active.sort(compareBySizeOlderFirst);

  let added = 0;
  const sizes = active.map((rs) => {
    const share = proportion(d, rs, toAdd, added);
    added += share;
    return replicaSetReplicas(rs) + share;
  });
  if (toAdd !== 0 && sizes[0] !== undefined) sizes[0] = Math.max(0, sizes[0] + toAdd - added);
  return active.map((rs, i) => scaleAction(rs, sizes[i] ?? replicaSetReplicas(rs)));
}
