import type { V1Pod } from '@kubernetes/client-node';
import type { Deployment, ReplicaSet } from '../api/types.ts';
import { desiredReplicas, replicaSetReplicas } from './deployment-spec.ts';
import { activeReplicaSets, totalStatusReplicas } from './replica-sets.ts';
import { scaleAction, type ScaleAction } from './scale-action.ts';

/** The outcome of one Recreate step. */
export type RecreateStep =
  /** Scale these active old ReplicaSets to 0, then sync status and return. */
  | { readonly kind: 'scale-down-old'; readonly actions: readonly ScaleAction[] }
  /** Old pods still run: sync status and return (a pod deletion event brings us back). */
  | { readonly kind: 'wait-for-old-pods' }
  /** Create the new ReplicaSet (newReplicaSetFor, already at full size) if `create`, and scale it. */
  | { readonly kind: 'scale-up-new'; readonly create: boolean; readonly action?: ScaleAction };

/**
 * Old pods are still running: an old ReplicaSet reports pods, or a pod owned by a ReplicaSet other
 * than the new one is not in a terminal phase. Terminating pods count: a new pod must not start
 * while an old one may still run.
 */
export function oldPodsRunning(
  newRS: ReplicaSet | undefined,
  oldRSs: readonly ReplicaSet[],
  podsByReplicaSetUid: ReadonlyMap<string, readonly V1Pod[]>,
): boolean {
  if (totalStatusReplicas(oldRSs) > 0) return true;
  const newUid = newRS?.metadata?.uid;
  for (const [uid, pods] of podsByReplicaSetUid) {
    if (newUid !== undefined && uid === newUid) continue;
    if (pods.some((pod) => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed')) return true;
  }
  return false;
}

/**
 * The next Recreate step: every active old ReplicaSet to 0; then wait until no old pod runs; only
 * then create (if missing) and scale up the new ReplicaSet. Never scales up before scaling down.
 */
export function planRecreateStep(
  d: Deployment,
  newRS: ReplicaSet | undefined,
  oldRSs: readonly ReplicaSet[],
  podsByReplicaSetUid: ReadonlyMap<string, readonly V1Pod[]>,
): RecreateStep {
  const scaleDown = activeReplicaSets(oldRSs).map((rs) => scaleAction(rs, 0));
  if (scaleDown.length > 0) return { kind: 'scale-down-old', actions: scaleDown };
  if (oldPodsRunning(newRS, oldRSs, podsByReplicaSetUid)) return { kind: 'wait-for-old-pods' };
  if (newRS === undefined) return { kind: 'scale-up-new', create: true };
  const replicas = desiredReplicas(d);
  return replicaSetReplicas(newRS) === replicas
    ? { kind: 'scale-up-new', create: false }
    : { kind: 'scale-up-new', create: false, action: scaleAction(newRS, replicas) };
}
