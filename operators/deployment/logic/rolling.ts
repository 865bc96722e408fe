import type { Deployment, ReplicaSet } from '../api/types.ts';
import { desiredReplicas, replicaSetAvailable, replicaSetReplicas } from './deployment-spec.ts';
import { minAvailable } from './fenceposts.ts';
import { newReplicaSetTargetReplicas } from './new-replica-set.ts';
import {
  activeReplicaSets,
  sortedByCreation,
  totalAvailableReplicas,
  totalSpecReplicas,
} from './replica-sets.ts';
import { scaleAction, type ScaleAction } from './scale-action.ts';

// One step of a RollingUpdate per sync: first grow (or trim) the new ReplicaSet; only when it
// cannot move, shrink the old ones. Each function returns the resizes; the caller writes them,
// then syncs the rollout status and returns.

/** The outcome of one RollingUpdate step. */
export type RollingStep =
  | { readonly kind: 'scale-new'; readonly actions: readonly ScaleAction[] }
  | { readonly kind: 'scale-old'; readonly actions: readonly ScaleAction[] }
  | { readonly kind: 'idle' };

/**
 * The new ReplicaSet's resize: down to replicas when above, otherwise up as far as the surge budget
 * allows. Undefined when it stays as it is.
 */
export function reconcileNewReplicaSet(
  d: Deployment,
  allRSs: readonly ReplicaSet[],
  newRS: ReplicaSet,
): ScaleAction | undefined {
  const replicas = desiredReplicas(d);
  const current = replicaSetReplicas(newRS);
  if (current === replicas) return undefined;
  const target = current > replicas ? replicas : newReplicaSetTargetReplicas(d, allRSs, newRS);
  return target === current ? undefined : scaleAction(newRS, target);
}

/**
 * Scales down old ReplicaSets whose pods are not available, oldest first, by at most
 * `maxCleanupCount` in total. Removing unavailable pods does not reduce availability, so this may
 * go below minAvailable's accounting. Returns the resizes and the ReplicaSets as they will be.
 */
export function cleanupUnhealthyReplicas(
  oldRSs: readonly ReplicaSet[],
  maxCleanupCount: number,
): { actions: ScaleAction[]; oldRSs: ReplicaSet[] } {
  const actions: ScaleAction[] = [];
  let cleaned = 0;
  const after = sortedByCreation(oldRSs).map((rs) => {
    const spec = replicaSetReplicas(rs);
    const unavailable = spec - replicaSetAvailable(rs);
    if (cleaned >= maxCleanupCount || spec === 0 || unavailable <= 0) return rs;
    const count = Math.min(maxCleanupCount - cleaned, unavailable);
    cleaned += count;
    actions.push(scaleAction(rs, spec - count));
    return { ...rs, spec: { ...rs.spec, replicas: spec - count } };
  });
  return { actions, oldRSs: after };
}

/**
 * Scales down old ReplicaSets, oldest first, by however many available pods exceed minAvailable
 * (counted over all ReplicaSets).
 */
export function scaleDownOldReplicaSetsForRollingUpdate(
  d: Deployment,
  allRSs: readonly ReplicaSet[],
  oldRSs: readonly ReplicaSet[],
): ScaleAction[] {
  const excess = totalAvailableReplicas(allRSs) - minAvailable(d);
  if (excess <= 0) return [];
  const actions: ScaleAction[] = [];
  let removed = 0;
  for (const rs of sortedByCreation(oldRSs)) {
    const spec = replicaSetReplicas(rs);
    if (removed >= excess) break;
    if (spec === 0) continue;
    const count = Math.min(spec, excess - removed);
    removed += count;
    actions.push(scaleAction(rs, spec - count));
  }
  return actions;
}

/**
 * Resizes of the active old ReplicaSets: first up to `Σ spec − minAvailable − unavailable new
 * pods` of their unavailable pods, then the available pods above minAvailable. One action per
 * ReplicaSet (from its observed size to its final one), in the order they were first touched.
 */
export function reconcileOldReplicaSets(
  d: Deployment,
  oldRSs: readonly ReplicaSet[],
  newRS: ReplicaSet,
): ScaleAction[] {
  const activeOld = sortedByCreation(activeReplicaSets(oldRSs));
  if (totalSpecReplicas(activeOld) === 0) return [];
  const newUnavailable = replicaSetReplicas(newRS) - replicaSetAvailable(newRS);
  const maxScaledDown = totalSpecReplicas([...activeOld, newRS]) - minAvailable(d) - newUnavailable;
  if (maxScaledDown <= 0) return [];
  const cleanup = cleanupUnhealthyReplicas(activeOld, maxScaledDown);
  const scaleDown = scaleDownOldReplicaSetsForRollingUpdate(d, [...cleanup.oldRSs, newRS], cleanup.oldRSs);
  // Both passes keep creation order, so position maps a cleaned-up copy back to what was observed.
  const observed = new Map(cleanup.oldRSs.map((copy, i) => [copy, activeOld[i] ?? copy]));
  const finalSize = new Map<ReplicaSet, number>();
  for (const action of [...cleanup.actions, ...scaleDown]) {
    finalSize.set(observed.get(action.replicaSet) ?? action.replicaSet, action.to);
  }
  return [...finalSize].map(([rs, to]) => scaleAction(rs, to));
}

/** The next RollingUpdate step, given the new ReplicaSet (created first if it was missing). */
export function planRollingStep(
  d: Deployment,
  oldRSs: readonly ReplicaSet[],
  newRS: ReplicaSet,
): RollingStep {
  const grow = reconcileNewReplicaSet(d, [...oldRSs, newRS], newRS);
  if (grow !== undefined) return { kind: 'scale-new', actions: [grow] };
  const shrink = reconcileOldReplicaSets(d, oldRSs, newRS);
  return shrink.length > 0 ? { kind: 'scale-old', actions: shrink } : { kind: 'idle' };
}
