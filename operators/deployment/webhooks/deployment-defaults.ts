import type { Deployment, ReplicaSet } from '../api/types.ts';
import { DEPLOYMENT_DEFAULTS } from '../logic/deployment-spec.ts';

// The apps/v1 defaulting (SetDefaults_Deployment / SetDefaults_ReplicaSet), written into the stored
// object so users and `kubectl get -o yaml` see the values the controllers act on.

/**
 * A copy of the Deployment with apps/v1 defaults filled in: replicas 1, strategy RollingUpdate with
 * maxSurge and maxUnavailable 25% (Recreate gets no rollingUpdate block), revisionHistoryLimit 10,
 * progressDeadlineSeconds 600 and minReadySeconds 0. Values already set are kept.
 */
export function defaultDeployment(deployment: Deployment): Deployment {
  const spec = deployment.spec;
  const type = spec.strategy?.type ?? DEPLOYMENT_DEFAULTS.strategyType;
  const strategy =
    type === 'RollingUpdate'
      ? {
          ...spec.strategy,
          type,
          rollingUpdate: {
            ...spec.strategy?.rollingUpdate,
            maxUnavailable:
              spec.strategy?.rollingUpdate?.maxUnavailable ?? DEPLOYMENT_DEFAULTS.maxUnavailable,
            maxSurge: spec.strategy?.rollingUpdate?.maxSurge ?? DEPLOYMENT_DEFAULTS.maxSurge,
          },
        }
      : { ...spec.strategy, type };
  return {
    ...deployment,
    spec: {
      ...spec,
      replicas: spec.replicas ?? DEPLOYMENT_DEFAULTS.replicas,
      strategy,
      minReadySeconds: spec.minReadySeconds ?? DEPLOYMENT_DEFAULTS.minReadySeconds,
      revisionHistoryLimit: spec.revisionHistoryLimit ?? DEPLOYMENT_DEFAULTS.revisionHistoryLimit,
      progressDeadlineSeconds: spec.progressDeadlineSeconds ?? DEPLOYMENT_DEFAULTS.progressDeadlineSeconds,
    },
  };
}

/** A copy of the ReplicaSet with apps/v1 defaults filled in: replicas 1. */
export function defaultReplicaSet(replicaSet: ReplicaSet): ReplicaSet {
  return { ...replicaSet, spec: { ...replicaSet.spec, replicas: replicaSet.spec.replicas ?? 1 } };
}
