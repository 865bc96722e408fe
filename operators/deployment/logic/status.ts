import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from '../api/types.ts';
import {
  AVAILABLE,
  PROGRESSING,
  REASONS,
  REPLICA_FAILURE,
  deploymentCondition,
  findDeploymentCondition,
  fromReplicaSetCondition,
  removeDeploymentCondition,
  setDeploymentCondition,
} from './conditions.ts';
import {
  desiredReplicas,
  generation,
  hasProgressDeadline,
  progressDeadlineSeconds,
} from './deployment-spec.ts';
import { maxUnavailable } from './fenceposts.ts';
import { canonicalJson } from './hash.ts';
import {
  totalAvailableReplicas,
  totalReadyReplicas,
  totalSpecReplicas,
  totalStatusReplicas,
} from './replica-sets.ts';
import { timeMillis } from './timestamps.ts';

/** A status to write (when `changed`) and, for rollouts, when to look at the deadline again. */
export interface StatusUpdate {
  readonly status: DeploymentStatus;
  /** The status differs from the Deployment's current one, so it must be written. */
  readonly changed: boolean;
  /** Requeue after this many milliseconds to check the progress deadline (0 = now), if needed. */
  readonly requeueAfterMs?: number;
}

/** Σ status.terminatingReplicas, or undefined as soon as one ReplicaSet does not report it. */
function totalTerminatingReplicas(replicaSets: readonly (ReplicaSet | undefined)[]): number | undefined {
  let total = 0;
  for (const rs of replicaSets) {
    if (rs === undefined) continue;
    const terminating = rs.status?.terminatingReplicas;
    if (terminating === undefined) return undefined;
    total += terminating;
  }
  return total;
}

/**
 * The Deployment's status recomputed from its ReplicaSets: counts summed (unavailable from spec,
 * floored at 0), collisionCount carried over, existing conditions kept and Available set from
 * minAvailable (all replicas with Recreate).
 */
export function calculateStatus(
  d: Deployment,
  allRSs: readonly (ReplicaSet | undefined)[],
  newRS: ReplicaSet | undefined,
  now: number,
): DeploymentStatus {
  const available = totalAvailableReplicas(allRSs);
  const terminating = totalTerminatingReplicas(allRSs);
  const collisionCount = d.status?.collisionCount;
  const availability =
    available >= desiredReplicas(d) - maxUnavailable(d)
      ? deploymentCondition(
          AVAILABLE,
          'True',
          REASONS.minimumReplicasAvailable,
          'Deployment has minimum availability.',
          now,
        )
      : deploymentCondition(
          AVAILABLE,
          'False',
          REASONS.minimumReplicasUnavailable,
          'Deployment does not have minimum availability.',
          now,
        );
  return {
    observedGeneration: generation(d),
    replicas: totalStatusReplicas(allRSs),
    updatedReplicas: totalStatusReplicas([newRS]),
    readyReplicas: totalReadyReplicas(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, totalSpecReplicas(allRSs) - available),
    ...(terminating === undefined ? {} : { terminatingReplicas: terminating }),
    ...(collisionCount === undefined ? {} : { collisionCount }),
    conditions: setDeploymentCondition(d.status?.conditions, availability),
  };
}

/** Every replica is updated and available, no old pod runs, and this generation has been observed. */
export function deploymentComplete(d: Deployment, status: DeploymentStatus): boolean {
  const replicas = desiredReplicas(d);
  return (
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas &&
    (status.observedGeneration ?? 0) >= generation(d)
  );
}

/**
 * Progress since the Deployment's current status: more updated, fewer old, more ready or more
 * available pods.
 */
export function deploymentProgressing(d: Deployment, next: DeploymentStatus): boolean {
  const previous = d.status ?? {};
  const oldPods = (s: DeploymentStatus) => (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (previous.updatedReplicas ?? 0) ||
    oldPods(next) < oldPods(previous) ||
    (next.readyReplicas ?? 0) > (previous.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (previous.availableReplicas ?? 0)
  );
}

/**
 * The deadline has passed: Progressing already says ProgressDeadlineExceeded, or its
 * lastUpdateTime + progressDeadlineSeconds is strictly before now. Never after a completed rollout
 * (NewReplicaSetAvailable), nor without a deadline or a Progressing condition to measure from.
 */
export function deploymentTimedOut(d: Deployment, next: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = findDeploymentCondition(next.conditions, PROGRESSING);
  if (condition === undefined || condition.reason === REASONS.newReplicaSetAvailable) return false;
  if (condition.reason === REASONS.progressDeadlineExceeded) return true;
  const from = timeMillis(condition.lastUpdateTime);
  return from !== undefined && from + progressDeadlineSeconds(d) * 1000 < now;
}

/** The ReplicaFailure condition to copy from the ReplicaSets: the new RS's first, else any old one's. */
export function replicaFailureCondition(
  allRSs: readonly (ReplicaSet | undefined)[],
  newRS: ReplicaSet | undefined,
): DeploymentCondition | undefined {
  const failureOf = (rs: ReplicaSet | undefined) =>
    rs?.status?.conditions?.find((c) => c.type === REPLICA_FAILURE);
  const failure = failureOf(newRS) ?? allRSs.map(failureOf).find((c) => c !== undefined);
  return failure === undefined ? undefined : fromReplicaSetCondition(failure);
}

/** Two statuses are the same (absent and empty lists alike). */
export function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * When to look again at a rollout that made no progress: at lastUpdateTime + deadline, plus a
 * second for clock drift, or now when less than a second is left. Undefined without a deadline or
 * Progressing condition, or when the rollout is complete or already timed out.
 */
export function progressCheckDelay(d: Deployment, next: DeploymentStatus, now: number): number | undefined {
  const current = findDeploymentCondition(d.status?.conditions, PROGRESSING);
  if (!hasProgressDeadline(d) || current === undefined) return undefined;
  if (deploymentComplete(d, next) || current.reason === REASONS.progressDeadlineExceeded) return undefined;
  const lastUpdate = timeMillis(current.lastUpdateTime);
  if (lastUpdate === undefined) return undefined;
  const remaining = lastUpdate + progressDeadlineSeconds(d) * 1000 - now;
  return remaining < 1000 ? 0 : remaining + 1000;
}

/**
 * The status after a rollout step (upstream syncRolloutStatus): calculateStatus, then Progressing
 * (removed without a deadline; left alone once the current rollout completed; else complete,
 * progressing or timed out, in that order), then ReplicaFailure copied from the ReplicaSets. When
 * nothing changed, `requeueAfterMs` says when the deadline needs checking.
 */
export function syncRolloutStatus(
  d: Deployment,
  allRSs: readonly (ReplicaSet | undefined)[],
  newRS: ReplicaSet | undefined,
  now: number,
): StatusUpdate {
  const next = calculateStatus(d, allRSs, newRS, now);
  let conditions = next.conditions ?? [];
  if (!hasProgressDeadline(d)) conditions = removeDeploymentCondition(conditions, PROGRESSING);

  const current = findDeploymentCondition(d.status?.conditions, PROGRESSING);
  const subject = newRS?.metadata?.name ?? d.metadata?.name ?? '';
  const kind = newRS === undefined ? 'Deployment' : 'ReplicaSet';
  const completeAlready =
    next.replicas === next.updatedReplicas && current?.reason === REASONS.newReplicaSetAvailable;
  if (hasProgressDeadline(d) && !completeAlready) {
    const withConditions = { ...next, conditions };
    if (deploymentComplete(d, withConditions)) {
      conditions = setDeploymentCondition(
        conditions,
        deploymentCondition(
          PROGRESSING,
          'True',
          REASONS.newReplicaSetAvailable,
          `${kind} "${subject}" has successfully progressed.`,
          now,
        ),
      );
    } else if (deploymentProgressing(d, withConditions)) {
      // Progress always refreshes lastUpdateTime (it restarts the deadline clock), which the
      // generic setter would skip for an unchanged reason.
      const progressing = deploymentCondition(
        PROGRESSING,
        'True',
        REASONS.replicaSetUpdated,
        `${kind} "${subject}" is progressing.`,
        now,
      );
      const keptTransition = current?.status === 'True' ? current.lastTransitionTime : undefined;
      conditions = setDeploymentCondition(
        removeDeploymentCondition(conditions, PROGRESSING),
        keptTransition === undefined ? progressing : { ...progressing, lastTransitionTime: keptTransition },
      );
    } else if (deploymentTimedOut(d, withConditions, now)) {
      conditions = setDeploymentCondition(
        conditions,
        deploymentCondition(
          PROGRESSING,
          'False',
          REASONS.progressDeadlineExceeded,
          `${kind} "${subject}" has timed out progressing.`,
          now,
        ),
      );
    }
  }

  const failure = replicaFailureCondition(allRSs, newRS);
  conditions =
    failure === undefined
      ? removeDeploymentCondition(conditions, REPLICA_FAILURE)
      : setDeploymentCondition(conditions, failure);

  const status = { ...next, conditions };
  if (!statusEqual(d.status, status)) return { status, changed: true };
  const requeueAfterMs = progressCheckDelay(d, status, now);
  return requeueAfterMs === undefined
    ? { status, changed: false }
    : { status, changed: false, requeueAfterMs };
}

/**
 * The status after a scaling or paused sync (upstream syncDeploymentStatus): calculateStatus
 * only, so Progressing and ReplicaFailure stay as they are.
 */
export function syncDeploymentStatus(
  d: Deployment,
  allRSs: readonly (ReplicaSet | undefined)[],
  newRS: ReplicaSet | undefined,
  now: number,
): StatusUpdate {
  const status = calculateStatus(d, allRSs, newRS, now);
  return { status, changed: !statusEqual(d.status, status) };
}

/**
 * The conditions after upstream's checkPausedConditions, or undefined when nothing changes:
 * paused → Progressing Unknown DeploymentPaused; unpaused while that is the reason → Unknown
 * DeploymentResumed (its lastUpdateTime restarts the deadline clock). Only with a deadline, and a
 * reported ProgressDeadlineExceeded is never overwritten.
 */
export function pausedConditions(d: Deployment, now: number): DeploymentCondition[] | undefined {
  if (!hasProgressDeadline(d)) return undefined;
  const current = findDeploymentCondition(d.status?.conditions, PROGRESSING);
  if (current?.reason === REASONS.progressDeadlineExceeded) return undefined;
  const pausedReported = current?.reason === REASONS.deploymentPaused;
  if (d.spec.paused === true && !pausedReported) {
    return setDeploymentCondition(
      d.status?.conditions,
      deploymentCondition(PROGRESSING, 'Unknown', REASONS.deploymentPaused, 'Deployment is paused', now),
    );
  }
  if (d.spec.paused !== true && pausedReported) {
    return setDeploymentCondition(
      d.status?.conditions,
      deploymentCondition(PROGRESSING, 'Unknown', REASONS.deploymentResumed, 'Deployment is resumed', now),
    );
  }
  return undefined;
}
