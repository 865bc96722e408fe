import type { V1Pod, V1PodTemplateSpec } from '@kubernetes/client-node';
import type { StatefulSet } from '../api/types.ts';
import { newStatefulSetPod, ordinalOf } from './identity.ts';
import { isCreated, isUnavailable } from './pod-state.ts';
import { desiredReplicas, endOrdinal, startOrdinal } from './statefulset-spec.ts';
import { revisionForNewPod } from './update-strategy.ts';

// Each sync sorts the set's pods by ordinal: replicas are the ordinals in
// [start, start + replicas), indexed by ordinal − start, with the pod to create standing in for
// a missing one; condemned are the pods with an ordinal outside that range, highest first. Pods
// whose name has no ordinal are ignored.

/** A revision as the sync uses it: its name (the pods' label) and the template it restores. */
export interface RevisionRef {
  readonly name: string;
  readonly template: V1PodTemplateSpec;
}

/** The pods of one sync, by role. */
export interface PodSplit {
  /** Index i is ordinal start + i: the existing pod, or the pod to create (no status, so not created). */
  readonly replicas: readonly V1Pod[];
  /** Pods outside the range, highest ordinal first. */
  readonly condemned: readonly V1Pod[];
}

/**
 * Splits the set's pods. A missing replica is built at the revision revisionForNewPod chooses
 * (current below the partition, update otherwise). Two pods with the same ordinal (possible only
 * with leading zeros, `web-01`) share a slot and the later one in `pods` wins, as upstream.
 */
export function splitPods(
  set: StatefulSet,
  pods: readonly V1Pod[],
  current: RevisionRef,
  update: RevisionRef,
): PodSplit {
  const start = startOrdinal(set);
  const end = endOrdinal(set);
  const slots: (V1Pod | undefined)[] = Array.from({ length: Math.max(desiredReplicas(set), 0) });
  const condemned: { pod: V1Pod; ordinal: number }[] = [];
  for (const pod of pods) {
    const ordinal = ordinalOf(pod);
    if (ordinal === undefined) continue;
    if (ordinal >= start && ordinal <= end) slots[ordinal - start] = pod;
    else condemned.push({ pod, ordinal });
  }
  const replicas = slots.map((pod, index) => {
    if (pod !== undefined) return pod;
    const ordinal = start + index;
    const revision = revisionForNewPod(set, ordinal) === 'current' ? current : update;
    return newStatefulSetPod(set, revision.template, ordinal, revision.name);
  });
  condemned.sort((a, b) => b.ordinal - a.ordinal);
  return { replicas, condemned: condemned.map((c) => c.pod) };
}

/**
 * The first unavailable replica in ordinal order (a pod still to be created counts), or else the
 * lowest-ordinal unavailable condemned pod: the one pod an OrderedReady scale-down may delete
 * although it is not healthy.
 */
export function firstUnavailablePod(
  split: PodSplit,
  minReadySeconds: number,
  now: number,
): V1Pod | undefined {
  const unavailable = (pod: V1Pod) => isUnavailable(pod, minReadySeconds, now);
  return split.replicas.find(unavailable) ?? split.condemned.findLast(unavailable);
}

/** Replicas not yet created (the placeholders splitPods built). */
export function missingReplicas(split: PodSplit): V1Pod[] {
  return split.replicas.filter((pod) => !isCreated(pod));
}
