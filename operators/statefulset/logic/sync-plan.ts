import type { V1Pod } from '@kubernetes/client-node';
import type { StatefulSet, StatefulSetStatus } from '../api/types.ts';
import { splitPods, type PodSplit, type RevisionRef } from './pod-split.ts';
import type { ClaimsByName } from './pvc-retention.ts';
import { planCondemned, planCondemnedClaims, planReplicas, type PhasePlan } from './scaling.ts';
import { calculateStatus } from './status.ts';
import { isBeingDeleted } from './statefulset-spec.ts';
import { planUpdate, type UpdateOptions, type UpdatePlan } from './update-strategy.ts';

// One sync, after the revisions are settled: replicas, then the condemned pods' claims, then the
// condemned pods, then the update strategy, then status. OrderedReady stops at the first phase
// that halts; Parallel runs every phase (each in slow-start batches). A failed write stops the
// sync wherever it happens; the status is written in every case.

/** Everything a sync decides from. */
export interface SyncInput {
  readonly set: StatefulSet;
  /** The pods the set claimed (selector and name both match, controlled by the set). */
  readonly pods: readonly V1Pod[];
  /** The namespace's claims by name. */
  readonly claims: ClaimsByName;
  readonly currentRevision: RevisionRef;
  readonly updateRevision: RevisionRef;
  /** The collision count the revisions were settled with. */
  readonly collisionCount: number;
  readonly now: number;
  readonly options?: UpdateOptions;
}

/** What a sync does, phase by phase, and the status to write afterwards. */
export interface SyncPlan {
  readonly split: PodSplit;
  /** Undefined when the set is being deleted (status only) ... */
  readonly replicas?: PhasePlan;
  /** ... or when an earlier phase halted (OrderedReady). */
  readonly condemnedClaims?: PhasePlan;
  readonly condemned?: PhasePlan;
  /** No deletions with OnDelete. */
  readonly update?: UpdatePlan;
  /** The status if every planned write succeeds (recompute with calculateStatus otherwise). */
  readonly status: StatefulSetStatus;
}

/** Plans one sync of the set. */
export function planSync(input: SyncInput): SyncPlan {
  const { set, now } = input;
  const split = splitPods(set, input.pods, input.currentRevision, input.updateRevision);
  const status = (pods: readonly V1Pod[], updateDeletions = 0) =>
    calculateStatus({
      set,
      pods,
      currentRevision: input.currentRevision.name,
      updateRevision: input.updateRevision.name,
      collisionCount: input.collisionCount,
      updateDeletions,
      now,
    });
  if (isBeingDeleted(set)) return { split, status: status(input.pods) };
  const counted = [...split.replicas, ...split.condemned];
  const scaling = { set, split, claims: input.claims, now };
  const replicas = planReplicas(scaling);
  if (replicas.halted) return { split, replicas, status: status(counted) };
  const condemnedClaims = planCondemnedClaims(scaling);
  const condemned = planCondemned(scaling);
  if (condemned.halted) return { split, replicas, condemnedClaims, condemned, status: status(counted) };
  const update = planUpdate(set, split.replicas, input.updateRevision.name, now, input.options);
  return {
    split,
    replicas,
    condemnedClaims,
    condemned,
    update,
    status: status(counted, update.deletions.length),
  };
}
