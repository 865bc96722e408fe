import type { Deployment, ReplicaSet } from '../api/types.ts';
import { desiredReplicas, replicaSetReplicas } from './deployment-spec.ts';
import { maxSurge } from './fenceposts.ts';
import { replicaAnnotations, replicaAnnotationsMatch } from './revisions.ts';

/** One ReplicaSet resize decided by the rollout maths; the reconciler performs it. */
export interface ScaleAction {
  /** The ReplicaSet as observed. */
  readonly replicaSet: ReplicaSet;
  /** Its spec.replicas before. */
  readonly from: number;
  /** Its spec.replicas after. */
  readonly to: number;
}

/** A ScaleAction resizing `rs` to `to`. */
export function scaleAction(rs: ReplicaSet, to: number): ScaleAction {
  return { replicaSet: rs, from: replicaSetReplicas(rs), to };
}

/**
 * The ReplicaSet to write for a scale: spec.replicas set, with desired-replicas = spec.replicas
 * and max-replicas = replicas + maxSurge of the Deployment; undefined when neither the size nor
 * those annotations would change.
 */
export function scaledReplicaSet(d: Deployment, rs: ReplicaSet, to: number): ReplicaSet | undefined {
  const desired = desiredReplicas(d);
  const max = desired + maxSurge(d);
  const annotations = rs.metadata?.annotations;
  if (replicaSetReplicas(rs) === to && replicaAnnotationsMatch(annotations, desired, max)) return undefined;
  return {
    ...rs,
    metadata: { ...rs.metadata, annotations: { ...annotations, ...replicaAnnotations(desired, max) } },
    spec: { ...rs.spec, replicas: to },
  };
}

/**
 * The Normal ScalingReplicaSet event message for a resize, or undefined when the size is unchanged.
 * The wording is kube-controller-manager's ("from M to N"), a new ReplicaSet counting as from 0.
 */
export function scalingEventMessage(action: ScaleAction): string | undefined {
  if (action.from === action.to) return undefined;
  const direction = action.to > action.from ? 'up' : 'down';
  const name = action.replicaSet.metadata?.name ?? '';
  return `Scaled ${direction} replica set ${name} from ${action.from} to ${action.to}`;
}
