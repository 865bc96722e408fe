import type { Deployment, ReplicaSet } from '../api/types.ts';
import { hasRevisionHistoryLimit, replicaSetReplicas, revisionHistoryLimit } from './deployment-spec.ts';
import { compareByCreation } from './replica-sets.ts';
import { revisionOf } from './revisions.ts';

/** Lowest revision first; equal or malformed revisions fall back to creation order. */
export function compareByRevision(a: ReplicaSet, b: ReplicaSet): number {
  const ra = revisionOf(a);
  const rb = revisionOf(b);
  if (ra === undefined || rb === undefined || ra === rb) return compareByCreation(a, b);
  return ra < rb ? -1 : 1;
}

const isBeingDeleted = (rs: ReplicaSet) => rs.metadata?.deletionTimestamp !== undefined;

/**
 * The old ReplicaSets to delete so that at most revisionHistoryLimit remain: of those not already
 * being deleted, the `count − limit` lowest revisions, except any that still has pods (spec or
 * status replicas ≠ 0) or whose latest spec its controller has not yet observed. Nothing when the
 * limit is MaxInt32. Pass only old ReplicaSets: the new one must never be deleted.
 */
export function replicaSetsToCleanUp(d: Deployment, oldRSs: readonly ReplicaSet[]): ReplicaSet[] {
  if (!hasRevisionHistoryLimit(d)) return [];
  const candidates = oldRSs.filter((rs) => !isBeingDeleted(rs));
  const excess = candidates.length - revisionHistoryLimit(d);
  if (excess <= 0) return [];
  return [...candidates]
    .sort(compareByRevision)
    .slice(0, excess)
    .filter(
      (rs) =>
        (rs.status?.replicas ?? 0) === 0 &&
        replicaSetReplicas(rs) === 0 &&
        (rs.metadata?.generation ?? 0) <= (rs.status?.observedGeneration ?? 0),
    );
}
