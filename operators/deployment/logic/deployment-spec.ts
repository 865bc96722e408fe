import type { IntOrString } from '@kubernetes/client-node';
import type { Deployment, DeploymentStrategyType, ReplicaSet } from '../api/types.ts';

// Reading a spec field goes through these accessors so that every algorithm sees the apps/v1
// defaults, whether or not a CRD default or webhook filled them in.

/** MaxInt32: progressDeadlineSeconds / revisionHistoryLimit value that means "none". */
export const MAX_INT32 = 2147483647;

/** The apps/v1 defaults of a Deployment spec. */
export const DEPLOYMENT_DEFAULTS = {
  replicas: 1,
  strategyType: 'RollingUpdate',
  maxSurge: '25%',
  maxUnavailable: '25%',
  revisionHistoryLimit: 10,
  progressDeadlineSeconds: 600,
  minReadySeconds: 0,
} as const;

/** spec.replicas, default 1. */
export function desiredReplicas(d: Deployment): number {
  return d.spec.replicas ?? DEPLOYMENT_DEFAULTS.replicas;
}

/** spec.strategy.type, default RollingUpdate. */
export function strategyType(d: Deployment): DeploymentStrategyType {
  return d.spec.strategy?.type ?? DEPLOYMENT_DEFAULTS.strategyType;
}

/** The strategy is RollingUpdate. */
export function isRollingUpdate(d: Deployment): boolean {
  return strategyType(d) === 'RollingUpdate';
}

/** maxSurge and maxUnavailable of a RollingUpdate strategy, each defaulting to 25%. */
export function rollingUpdateBounds(d: Deployment): { maxSurge: IntOrString; maxUnavailable: IntOrString } {
  const rollingUpdate = d.spec.strategy?.rollingUpdate;
  return {
    maxSurge: rollingUpdate?.maxSurge ?? DEPLOYMENT_DEFAULTS.maxSurge,
    maxUnavailable: rollingUpdate?.maxUnavailable ?? DEPLOYMENT_DEFAULTS.maxUnavailable,
  };
}

/** spec.minReadySeconds, default 0. */
export function minReadySeconds(d: Deployment): number {
  return d.spec.minReadySeconds ?? DEPLOYMENT_DEFAULTS.minReadySeconds;
}

/** spec.progressDeadlineSeconds, default 600. */
export function progressDeadlineSeconds(d: Deployment): number {
  return d.spec.progressDeadlineSeconds ?? DEPLOYMENT_DEFAULTS.progressDeadlineSeconds;
}

/** A progress deadline is set (anything but MaxInt32). */
export function hasProgressDeadline(d: Deployment): boolean {
  return progressDeadlineSeconds(d) !== MAX_INT32;
}

/** spec.revisionHistoryLimit, default 10. */
export function revisionHistoryLimit(d: Deployment): number {
  return d.spec.revisionHistoryLimit ?? DEPLOYMENT_DEFAULTS.revisionHistoryLimit;
}

/** Old ReplicaSets are cleaned up (the limit is anything but MaxInt32). */
export function hasRevisionHistoryLimit(d: Deployment): boolean {
  return revisionHistoryLimit(d) !== MAX_INT32;
}

/** metadata.generation, 0 when unset. */
export function generation(d: Deployment): number {
  return d.metadata?.generation ?? 0;
}

/** The ReplicaSet's spec.replicas, default 1 as in apps/v1. */
export function replicaSetReplicas(rs: ReplicaSet): number {
  return rs.spec.replicas ?? 1;
}

/** The ReplicaSet's status.availableReplicas, 0 when unset. */
export function replicaSetAvailable(rs: ReplicaSet): number {
  return rs.status?.availableReplicas ?? 0;
}
