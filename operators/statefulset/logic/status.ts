import type { V1Pod } from '@kubernetes/client-node';
import { nextAvailabilityIn } from '../../deployment/logic/pod-predicates.ts';
import type { StatefulSet, StatefulSetStatus } from '../api/types.ts';
import { podRevision } from './identity.ts';
import { isCreated, isRunningAndAvailable, isRunningAndReady, isTerminating } from './pod-state.ts';
import { formatLabelSelector } from './scale-selector.ts';
import { desiredReplicas, generation, minReadySeconds, updateStrategyType } from './statefulset-spec.ts';

// The status is recomputed each sync from the pods as observed at its start (the replicas and
// condemned pods; all claimed pods while the set is being deleted), not from what the sync did,
// except that each deletion made for an update lowers currentReplicas. No conditions are set, and
// a written status carries none (upstream replaces the whole status).

/** What the counts are computed against. */
export interface StatusInput {
  readonly set: StatefulSet;
  /** The pods to count: replicas and condemned (pods still to be created are skipped). */
  readonly pods: readonly V1Pod[];
  readonly currentRevision: string;
  readonly updateRevision: string;
  readonly collisionCount: number;
  /** Pods deleted this sync by the update strategy. */
  readonly updateDeletions?: number;
  readonly now: number;
}

/**
 * The status to write: observedGeneration; replicas (created pods, terminating ones included);
 * readyReplicas (Running and Ready); availableReplicas (of those, ready for minReadySeconds);
 * currentReplicas and updatedReplicas (created, not terminating, labelled with that revision);
 * the two revision names; collisionCount; and selector for the scale subresource. Then a
 * RollingUpdate whose updated, ready and created counts all equal spec.replicas is complete:
 * currentRevision becomes updateRevision and currentReplicas the updated count.
 */
export function calculateStatus(input: StatusInput): StatefulSetStatus {
  const { set, now } = input;
  const minReady = minReadySeconds(set);
  let replicas = 0;
  let ready = 0;
  let available = 0;
  let current = 0;
  let updated = 0;
  for (const pod of input.pods) {
    if (isCreated(pod)) replicas++;
    if (isRunningAndReady(pod)) {
      ready++;
      if (isRunningAndAvailable(pod, minReady, now)) available++;
    }
    if (isCreated(pod) && !isTerminating(pod)) {
      const revision = podRevision(pod);
      if (revision === input.currentRevision) current++;
      if (revision === input.updateRevision) updated++;
    }
  }
  current -= input.updateDeletions ?? 0;
  const status: StatefulSetStatus = {
    observedGeneration: generation(set),
    replicas,
    readyReplicas: ready,
    currentReplicas: current,
    updatedReplicas: updated,
    availableReplicas: available,
    currentRevision: input.currentRevision,
    updateRevision: input.updateRevision,
    collisionCount: input.collisionCount,
    selector: formatLabelSelector(set.spec.selector),
  };
  return completeRollingUpdate(set, status);
}

/** The status with a finished RollingUpdate recorded (currentRevision := updateRevision). */
export function completeRollingUpdate(set: StatefulSet, status: StatefulSetStatus): StatefulSetStatus {
  const want = desiredReplicas(set);
  const done =
    updateStrategyType(set) === 'RollingUpdate' &&
    status.updatedReplicas === want &&
    status.readyReplicas === want &&
    status.replicas === want;
  if (!done) return status;
  return {
    ...status,
    currentReplicas: status.updatedReplicas ?? 0,
    ...(status.updateRevision === undefined ? {} : { currentRevision: status.updateRevision }),
  };
}

/**
 * The status must be written: observedGeneration moved forward, or a count, a revision name or
 * the selector differs. (collisionCount alone does not trigger a write, as upstream: a collision
 * always changes updateRevision too.)
 */
export function statusNeedsWrite(set: StatefulSet, status: StatefulSetStatus): boolean {
  const old = set.status;
  const count = (value: number | undefined) => value ?? 0;
  return (
    count(status.observedGeneration) > count(old?.observedGeneration) ||
    count(status.replicas) !== count(old?.replicas) ||
    count(status.currentReplicas) !== count(old?.currentReplicas) ||
    count(status.readyReplicas) !== count(old?.readyReplicas) ||
    count(status.updatedReplicas) !== count(old?.updatedReplicas) ||
    count(status.availableReplicas) !== count(old?.availableReplicas) ||
    (status.currentRevision ?? '') !== (old?.currentRevision ?? '') ||
    (status.updateRevision ?? '') !== (old?.updateRevision ?? '') ||
    (status.selector ?? '') !== (old?.selector ?? '')
  );
}

/**
 * Milliseconds after which to sync again because availability changes with time, or undefined.
 * Upstream requeues after minReadySeconds whenever minReadySeconds > 0 and availableReplicas ≠
 * spec.replicas; we requeue then too, but no later than the moment the next ready pod becomes
 * available (nextAvailabilityIn), so availability is reported on time whenever the last sync ran.
 */
export function availabilityRequeueAfter(
  set: StatefulSet,
  status: StatefulSetStatus,
  pods: readonly V1Pod[],
  now: number,
): number | undefined {
  const minReady = minReadySeconds(set);
  if (minReady <= 0 || (status.availableReplicas ?? 0) === desiredReplicas(set)) return undefined;
  const soonest = nextAvailabilityIn(pods, minReady, now);
  return Math.min(minReady * 1000, soonest ?? Infinity);
}
