import type { V1Pod, V1PodCondition } from '@kubernetes/client-node';
import { timeMillis } from './timestamps.ts';

const isTerminalPhase = (phase: string | undefined) => phase === 'Succeeded' || phase === 'Failed';

/** The pod's Ready condition, if it has one. */
export function podReadyCondition(pod: V1Pod): V1PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** Counts toward a controller's replicas: not in a terminal phase and not being deleted. */
export function isPodActive(pod: V1Pod): boolean {
  return !isTerminalPhase(pod.status?.phase) && pod.metadata?.deletionTimestamp === undefined;
}

/** The Ready condition is True. */
export function isPodReady(pod: V1Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/**
 * Ready, and with minReadySeconds > 0 ready since strictly before `now - minReadySeconds`.
 * A Ready condition without lastTransitionTime never becomes available when minReadySeconds > 0.
 */
export function isPodAvailable(pod: V1Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds === 0) return true;
  const readySince = timeMillis(podReadyCondition(pod)?.lastTransitionTime);
  return readySince !== undefined && readySince + minReadySeconds * 1000 < now;
}

/** Being deleted but still running (the 1.33+ terminatingReplicas counters). */
export function isPodTerminating(pod: V1Pod): boolean {
  return pod.metadata?.deletionTimestamp !== undefined && !isTerminalPhase(pod.status?.phase);
}

/**
 * Milliseconds until the first ready-but-not-yet-available pod becomes available, or undefined when
 * none will. No watch event reports availability, so a controller requeues itself after this delay.
 * The extra millisecond steps past the instant itself, at which the pod is still unavailable.
 */
export function nextAvailabilityIn(
  pods: readonly V1Pod[],
  minReadySeconds: number,
  now: number,
): number | undefined {
  if (minReadySeconds === 0) return undefined;
  let soonest: number | undefined;
  for (const pod of pods) {
    if (!isPodActive(pod) || !isPodReady(pod) || isPodAvailable(pod, minReadySeconds, now)) continue;
    const readySince = timeMillis(podReadyCondition(pod)?.lastTransitionTime);
    if (readySince === undefined) continue;
    const delay = readySince + minReadySeconds * 1000 - now + 1;
    soonest = soonest === undefined ? delay : Math.min(soonest, delay);
  }
  return soonest === undefined ? undefined : Math.max(soonest, 0);
}
