import type { V1Pod } from '@kubernetes/client-node';
import { isPodAvailable, isPodReady } from '../../deployment/logic/pod-predicates.ts';

// The StatefulSet controller's own view of a pod's state. It differs from the shared predicates in
// two places: "terminating" is any pod with a deletionTimestamp (terminal phases included), and
// "ready" also requires phase Running.

const phaseOf = (pod: V1Pod): string => pod.status?.phase ?? '';

/** The apiserver has the pod: it has a phase (a pod to be created has none). */
export function isCreated(pod: V1Pod): boolean {
  return phaseOf(pod) !== '';
}

/** Phase Pending. */
export function isPending(pod: V1Pod): boolean {
  return phaseOf(pod) === 'Pending';
}

/** Phase Failed. */
export function isFailed(pod: V1Pod): boolean {
  return phaseOf(pod) === 'Failed';
}

/** Phase Succeeded (a StatefulSet replaces it like a failed pod). */
export function isSucceeded(pod: V1Pod): boolean {
  return phaseOf(pod) === 'Succeeded';
}

/** Has a deletionTimestamp, whatever its phase. */
export function isTerminating(pod: V1Pod): boolean {
  return pod.metadata?.deletionTimestamp !== undefined;
}

/** Phase Running and the Ready condition True. */
export function isRunningAndReady(pod: V1Pod): boolean {
  return phaseOf(pod) === 'Running' && isPodReady(pod);
}

/**
 * Ready for minReadySeconds (the shared isPodAvailable). Despite upstream's name, the phase is not
 * checked here; the callers that need Running check isRunningAndReady first.
 */
export function isRunningAndAvailable(pod: V1Pod, minReadySeconds: number, now: number): boolean {
  return isPodAvailable(pod, minReadySeconds, now);
}

/** Not available, or terminating. A pod still to be created is unavailable. */
export function isUnavailable(pod: V1Pod, minReadySeconds: number, now: number): boolean {
  return !isRunningAndAvailable(pod, minReadySeconds, now) || isTerminating(pod);
}
