import type { V1Pod } from '@kubernetes/client-node';
import { valueFromIntOrPercent } from '../../deployment/logic/fenceposts.ts';
import type { StatefulSet } from '../api/types.ts';
import { podRevision } from './identity.ts';
import { isTerminating, isUnavailable } from './pod-state.ts';
import {
  desiredReplicas,
  minReadySeconds,
  rollingUpdateStrategy,
  STATEFUL_SET_DEFAULTS,
  startOrdinal,
  updateStrategyType,
} from './statefulset-spec.ts';

// How pods reach the update revision once scaling is done. OnDelete: never by the controller (a
// pod the user deletes comes back at the update revision). RollingUpdate: from the highest index
// down to the partition, one pod at a time, each replacement waited for; or, with the
// MaxUnavailableStatefulSet gate, up to maxUnavailable at a time without waiting.
//
// Kubernetes 1.34 ships MaxUnavailableStatefulSet as alpha, off by default (pkg/features:
// {1.24, false, Alpha} and nothing later), and the apiserver then drops
// rollingUpdate.maxUnavailable from new objects. So by default maxUnavailable is ignored here too,
// and `maxUnavailableStatefulSet: true` turns the gated behaviour on.

/** Feature gates that change the update strategy. */
export interface UpdateOptions {
  /** MaxUnavailableStatefulSet (alpha, off by default in 1.34). */
  readonly maxUnavailableStatefulSet?: boolean;
}

/**
 * Which revision a missing pod with this ordinal is created at. With RollingUpdate, ordinals
 * below start + partition keep the current revision; all others (and every OnDelete recreation)
 * get the update revision. Upstream's condition, kept as written: with an explicit RollingUpdate
 * type and no rollingUpdate block, ordinals below start + status.currentReplicas keep the
 * current revision; and any rollingUpdate block counts, whatever the type (validation refuses
 * one with OnDelete).
 */
export function revisionForNewPod(set: StatefulSet, ordinal: number): 'current' | 'update' {
  const rollingUpdate = rollingUpdateStrategy(set);
  const start = startOrdinal(set);
  const withoutBlock =
    updateStrategyType(set) === 'RollingUpdate' &&
    rollingUpdate === undefined &&
    ordinal < start + (set.status?.currentReplicas ?? 0);
  const belowPartition = rollingUpdate !== undefined && ordinal < start + rollingUpdate.partition;
  return withoutBlock || belowPartition ? 'current' : 'update';
}

/**
 * rollingUpdate.maxUnavailable resolved against spec.replicas: a count, or a percent rounded
 * down; never below 1 (so 0 and small percents become 1); default 1. Throws
 * InvalidIntOrPercentError for a malformed value.
 */
export function resolveMaxUnavailable(set: StatefulSet): number {
  const value = rollingUpdateStrategy(set)?.maxUnavailable ?? STATEFUL_SET_DEFAULTS.maxUnavailable;
  return Math.max(valueFromIntOrPercent(value, desiredReplicas(set), false), 1);
}

/** What the update strategy does this sync. */
export interface UpdatePlan {
  /** Pods to delete (highest index first); each is recreated at the update revision later. */
  readonly deletions: readonly V1Pod[];
  /** Without the gate: the pod the update waits for (at or above the partition, unavailable). */
  readonly waitingFor?: V1Pod;
}

const NOTHING: UpdatePlan = { deletions: [] };

/**
 * The update step over `replicas` (index = ordinal − start, pods still to be created included, as
 * built for this sync). Only call it once scaling is done (in OrderedReady, once every replica
 * passed). Each deletion also lowers the reported currentReplicas by one.
 */
export function planUpdate(
  set: StatefulSet,
  replicas: readonly V1Pod[],
  updateRevision: string,
  now: number,
  options: UpdateOptions = {},
): UpdatePlan {
  if (updateStrategyType(set) === 'OnDelete') return NOTHING;
  const minReady = minReadySeconds(set);
  const updateMin = rollingUpdateStrategy(set)?.partition ?? 0;
  const outdated = (pod: V1Pod) => podRevision(pod) !== updateRevision && !isTerminating(pod);
  if (options.maxUnavailableStatefulSet === true) {
    const maxUnavailable = rollingUpdateStrategy(set) === undefined ? 1 : resolveMaxUnavailable(set);
    const unavailable = replicas.filter((pod) => isUnavailable(pod, minReady, now)).length;
    if (unavailable >= maxUnavailable) return NOTHING;
    const deletions: V1Pod[] = [];
    for (let target = replicas.length - 1; target >= updateMin; target--) {
      if (deletions.length >= maxUnavailable - unavailable) break;
      const pod = replicas[target];
      if (pod !== undefined && outdated(pod)) deletions.push(pod);
    }
    return { deletions };
  }
  for (let target = replicas.length - 1; target >= updateMin; target--) {
    const pod = replicas[target];
    if (pod === undefined) continue;
    if (outdated(pod)) return { deletions: [pod] };
    if (isUnavailable(pod, minReady, now)) return { deletions: [], waitingFor: pod };
  }
  return NOTHING;
}
