import type { ConditionStatus, DeploymentCondition, ReplicaSetCondition } from '../api/types.ts';
import { formatTime } from './timestamps.ts';

/** Condition type: at least minAvailable pods are available. */
export const AVAILABLE = 'Available';
/** Condition type: how the rollout is going (only with a progress deadline). */
export const PROGRESSING = 'Progressing';
/** Condition type: a ReplicaSet failed to create or delete pods (copied from it). */
export const REPLICA_FAILURE = 'ReplicaFailure';

/** Condition reasons, as upstream spells them. */
export const REASONS = {
  /** Progressing: a ReplicaSet was scaled or its pods became ready/available. */
  replicaSetUpdated: 'ReplicaSetUpdated',
  /** Progressing False: the new ReplicaSet could not be created. */
  replicaSetCreateError: 'ReplicaSetCreateError',
  /** Progressing: the new ReplicaSet was created. */
  newReplicaSetCreated: 'NewReplicaSetCreated',
  /** Progressing: an existing ReplicaSet was found to run the template. */
  foundNewReplicaSet: 'FoundNewReplicaSet',
  /** Progressing: the rollout is complete. */
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
  /** Progressing False: no progress within progressDeadlineSeconds. */
  progressDeadlineExceeded: 'ProgressDeadlineExceeded',
  /** Progressing Unknown: paused, so progress is not measured. */
  deploymentPaused: 'DeploymentPaused',
  /** Progressing Unknown: resumed; the deadline clock starts again. */
  deploymentResumed: 'DeploymentResumed',
  /** Available True. */
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  /** Available False. */
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** A condition written now: lastUpdateTime and lastTransitionTime both `now`. */
export function deploymentCondition(
  type: string,
  status: ConditionStatus,
  reason: string,
  message: string,
  now: number,
): DeploymentCondition {
  const time = formatTime(now);
  return { type, status, lastUpdateTime: time, lastTransitionTime: time, reason, message };
}

/** The condition of `type`, if present. */
export function findDeploymentCondition(
  conditions: readonly DeploymentCondition[] | undefined,
  type: string,
): DeploymentCondition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** The conditions without `type`. */
export function removeDeploymentCondition(
  conditions: readonly DeploymentCondition[] | undefined,
  type: string,
): DeploymentCondition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

/**
 * The conditions with `condition` set, with upstream's setter semantics: the same type, status and
 * reason already present means no change at all (message and lastUpdateTime stay); the same
 * status keeps lastTransitionTime; otherwise the condition is replaced (and moves to the end).
 */
export function setDeploymentCondition(
  conditions: readonly DeploymentCondition[] | undefined,
  condition: DeploymentCondition,
): DeploymentCondition[] {
  const current = findDeploymentCondition(conditions, condition.type);
  if (current?.status === condition.status && current.reason === condition.reason)
    return [...(conditions ?? [])];
  const next =
    current?.status === condition.status && current.lastTransitionTime !== undefined
      ? { ...condition, lastTransitionTime: current.lastTransitionTime }
      : condition;
  return [...removeDeploymentCondition(conditions, condition.type), next];
}

/** A ReplicaSet's condition promoted to the Deployment (lastUpdateTime = its lastTransitionTime). */
export function fromReplicaSetCondition(condition: ReplicaSetCondition): DeploymentCondition {
  const { type, status, lastTransitionTime, reason, message } = condition;
  return {
    type,
    status,
    ...(lastTransitionTime === undefined ? {} : { lastUpdateTime: lastTransitionTime, lastTransitionTime }),
    ...(reason === undefined ? {} : { reason }),
    ...(message === undefined ? {} : { message }),
  };
}

/** Progressing True NewReplicaSetCreated, after the controller created the new ReplicaSet. */
export function newReplicaSetCreatedCondition(replicaSetName: string, now: number): DeploymentCondition {
  return deploymentCondition(
    PROGRESSING,
    'True',
    REASONS.newReplicaSetCreated,
    `Created new replica set "${replicaSetName}"`,
    now,
  );
}

/** Progressing True FoundNewReplicaSet, when the new ReplicaSet exists but no Progressing condition does. */
export function foundNewReplicaSetCondition(replicaSetName: string, now: number): DeploymentCondition {
  return deploymentCondition(
    PROGRESSING,
    'True',
    REASONS.foundNewReplicaSet,
    `Found new replica set "${replicaSetName}"`,
    now,
  );
}

/** Progressing False ReplicaSetCreateError, when creating the new ReplicaSet failed. */
export function replicaSetCreateErrorCondition(
  replicaSetName: string,
  error: string,
  now: number,
): DeploymentCondition {
  return deploymentCondition(
    PROGRESSING,
    'False',
    REASONS.replicaSetCreateError,
    `Failed to create new replica set "${replicaSetName}": ${error}`,
    now,
  );
}
