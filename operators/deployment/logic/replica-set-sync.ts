import type { V1OwnerReference, V1Pod } from '@kubernetes/client-node';
import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from '../api/types.ts';
import { replicaSetReplicas } from './deployment-spec.ts';
import { podsToDelete } from './pod-deletion-ranking.ts';
import { isPodAvailable, isPodReady } from './pod-predicates.ts';
import { BURST_REPLICAS } from './slow-start.ts';
import { formatTime } from './timestamps.ts';

// The ReplicaSet controller's decisions (§3). Expectations, the list/claim and the slow-start
// calls themselves belong to the reconciler.

/** What manageReplicas does this sync. */
export type ReplicaChange =
  | { readonly kind: 'none' }
  /** Create this many pods (podForReplicaSet), in slow-start batches. */
  | { readonly kind: 'create'; readonly count: number }
  /** Delete these pods, in parallel. */
  | { readonly kind: 'delete'; readonly pods: readonly V1Pod[] };

/**
 * Compares the active claimed pods with spec.replicas; creates or deletes the difference, at most
 * `burst` per sync, deleting the lowest-ranked pods first (relatedPods: all pods of the
 * ReplicaSets that share this one's controller).
 */
export function planReplicaChange(
  rs: ReplicaSet,
  activePods: readonly V1Pod[],
  relatedPods: readonly V1Pod[],
  now: number,
  burst: number = BURST_REPLICAS,
): ReplicaChange {
  const diff = activePods.length - replicaSetReplicas(rs);
  if (diff < 0) return { kind: 'create', count: Math.min(-diff, burst) };
  if (diff > 0)
    return { kind: 'delete', pods: podsToDelete(activePods, relatedPods, Math.min(diff, burst), now) };
  return { kind: 'none' };
}

/** Pod names are DNS subdomains of at most 253 characters. */
const MAX_POD_NAME_LENGTH = 253;

/**
 * A pod to create for the ReplicaSet: generateName `<rs>-` (without the dash when that would be too
 * long), labels, annotations, finalizers and spec from the template, controlled by the ReplicaSet.
 */
export function podForReplicaSet(rs: ReplicaSet): V1Pod {
  const name = rs.metadata?.name;
  const uid = rs.metadata?.uid;
  if (name === undefined || uid === undefined) {
    throw new TypeError(
      'the ReplicaSet needs metadata.name and metadata.uid (read it from the apiserver first)',
    );
  }
  const owner: V1OwnerReference = {
    apiVersion: rs.apiVersion,
    kind: rs.kind,
    name,
    uid,
    controller: true,
    blockOwnerDeletion: true,
  };
  const template = rs.spec.template ?? {};
  const { labels, annotations, finalizers } = template.metadata ?? {};
  const generateName = `${name}-`.length <= MAX_POD_NAME_LENGTH ? `${name}-` : name;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName,
      ...(rs.metadata?.namespace === undefined ? {} : { namespace: rs.metadata.namespace }),
      ...(labels === undefined ? {} : { labels: { ...labels } }),
      ...(annotations === undefined ? {} : { annotations: { ...annotations } }),
      ...(finalizers === undefined ? {} : { finalizers: [...finalizers] }),
      ownerReferences: [owner],
    },
    ...(template.spec === undefined ? {} : { spec: template.spec }),
  };
}

const hasAllLabels = (pod: V1Pod, wanted: Readonly<Record<string, string>>) =>
  Object.entries(wanted).every(([key, value]) => pod.metadata?.labels?.[key] === value);

/**
 * The ReplicaSet's status after a sync: counts over the active claimed pods (fully labeled =
 * carrying every template label; available after minReadySeconds), observedGeneration, and
 * terminatingReplicas when the terminating pods are given. A manageReplicas error sets
 * ReplicaFailure (FailedCreate when pods were missing, FailedDelete when there were too many) if
 * none is set yet; a clean sync removes it.
 */
export function calculateReplicaSetStatus(
  rs: ReplicaSet,
  activePods: readonly V1Pod[],
  now: number,
  options: { readonly terminatingPods?: readonly V1Pod[]; readonly manageError?: string } = {},
): ReplicaSetStatus {
  const minReady = rs.spec.minReadySeconds ?? 0;
  const templateLabels = rs.spec.template?.metadata?.labels ?? {};
  let conditions: ReplicaSetCondition[] = [...(rs.status?.conditions ?? [])];
  const failure = conditions.find((c) => c.type === 'ReplicaFailure');
  if (options.manageError !== undefined && failure === undefined) {
    const diff = activePods.length - replicaSetReplicas(rs);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    conditions.push({
      type: 'ReplicaFailure',
      status: 'True',
      reason,
      message: options.manageError,
      lastTransitionTime: formatTime(now),
    });
  } else if (options.manageError === undefined && failure !== undefined) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  return {
    replicas: activePods.length,
    fullyLabeledReplicas: activePods.filter((pod) => hasAllLabels(pod, templateLabels)).length,
    readyReplicas: activePods.filter(isPodReady).length,
    availableReplicas: activePods.filter((pod) => isPodAvailable(pod, minReady, now)).length,
    ...(options.terminatingPods === undefined ? {} : { terminatingReplicas: options.terminatingPods.length }),
    ...(rs.metadata?.generation === undefined ? {} : { observedGeneration: rs.metadata.generation }),
    ...(conditions.length === 0 ? {} : { conditions }),
  };
}

/**
 * Upstream's requeue for availability: after minReadySeconds when every replica is ready but not
 * all are available yet. Undefined otherwise. (nextAvailabilityIn gives a tighter delay from pods.)
 */
export function replicaSetAvailabilityRequeue(rs: ReplicaSet, status: ReplicaSetStatus): number | undefined {
  const minReady = rs.spec.minReadySeconds ?? 0;
  const replicas = replicaSetReplicas(rs);
  if (minReady <= 0) return undefined;
  return (status.readyReplicas ?? 0) === replicas && (status.availableReplicas ?? 0) !== replicas
    ? minReady * 1000
    : undefined;
}
