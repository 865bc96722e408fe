import type { Deployment, ReplicaSet } from '../api/types.ts';
import { ROLLBACK_TO_ANNOTATION } from './annotations.ts';
import { strategyType } from './deployment-spec.ts';
import { selectsEverything } from './label-selector.ts';
import { isScalingEvent } from './replica-sets.ts';
import { parseInt64 } from './revisions.ts';

/**
 * What one Deployment sync does, in upstream's strict priority order:
 * - `selecting-all`: selector `{}`: emit Warning SelectingAll, bump observedGeneration, nothing else;
 * - `status-only`: being deleted: recompute and write status only (GC does the cascade);
 * - `sync`: paused or a scaling event: planScale, cleanup (paused, no rollback pending), status;
 * - `rollback`: the rollback annotation holds a revision: planRollback;
 * - `recreate` / `rolling`: a rollout step of the strategy.
 * Paused conditions (pausedConditions) are checked before `sync`, whatever the path.
 */
export type SyncPath = 'selecting-all' | 'status-only' | 'sync' | 'rollback' | 'recreate' | 'rolling';

/** The revision requested by the rollback annotation, or undefined when absent or malformed (ignored). */
export function rollbackTarget(d: Deployment): bigint | undefined {
  const text = d.metadata?.annotations?.[ROLLBACK_TO_ANNOTATION];
  return text === undefined || text === '' ? undefined : parseInt64(text);
}

/** Chooses the sync path for a Deployment and its split ReplicaSets. */
export function chooseSyncPath(
  d: Deployment,
  newRS: ReplicaSet | undefined,
  oldRSs: readonly ReplicaSet[],
): SyncPath {
  if (selectsEverything(d.spec.selector)) return 'selecting-all';
  if (d.metadata?.deletionTimestamp !== undefined) return 'status-only';
  if (d.spec.paused === true) return 'sync';
  if (rollbackTarget(d) !== undefined) return 'rollback';
  if (isScalingEvent(d, newRS, oldRSs)) return 'sync';
  return strategyType(d) === 'Recreate' ? 'recreate' : 'rolling';
}

/** Old ReplicaSets are cleaned up in a `sync` only while paused and with no rollback pending. */
export function cleansUpInSync(d: Deployment): boolean {
  return d.spec.paused === true && rollbackTarget(d) === undefined;
}
