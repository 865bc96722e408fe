import type { IntOrString } from '@kubernetes/client-node';
import type { Deployment } from '../api/types.ts';
import { desiredReplicas, isRollingUpdate, rollingUpdateBounds } from './deployment-spec.ts';

/** An IntOrString that is neither a non-negative integer nor a string like "25%". */
export class InvalidIntOrPercentError extends Error {
  override readonly name = 'InvalidIntOrPercentError';
  /** The rejected value. */
  readonly value: unknown;

  constructor(value: unknown, problem: string) {
    super(`invalid int-or-percent value ${JSON.stringify(value)}: ${problem} (write e.g. 3 or "25%")`);
    this.value = value;
  }
}

/**
 * The absolute value of a count or a percent of `total`. Percents round up or down as asked.
 * @example valueFromIntOrPercent('25%', 10, true) // 3
 */
export function valueFromIntOrPercent(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) {
      throw new InvalidIntOrPercentError(value, 'a count must be a non-negative integer');
    }
    return value;
  }
  const match = /^(\d+)%$/.exec(value);
  if (match?.[1] === undefined) {
    throw new InvalidIntOrPercentError(value, 'a string must be a whole non-negative percent');
  }
  const scaled = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * Resolves maxSurge (percent rounded up) and maxUnavailable (percent rounded down) against the
 * desired replicas. If both come out 0 (only possible through rounding; validation rejects an
 * explicit 0/0), unavailable becomes 1 so the rollout can still move, by deleting an old pod first.
 */
export function resolveFenceposts(
  maxSurge: IntOrString,
  maxUnavailable: IntOrString,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = valueFromIntOrPercent(maxSurge, desired, true);
  const unavailable = valueFromIntOrPercent(maxUnavailable, desired, false);
  return surge === 0 && unavailable === 0 ? { surge, unavailable: 1 } : { surge, unavailable };
}

/** Pods allowed above spec.replicas during a rollout; 0 unless the strategy is RollingUpdate. */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const bounds = rollingUpdateBounds(d);
  return resolveFenceposts(bounds.maxSurge, bounds.maxUnavailable, desiredReplicas(d)).surge;
}

/**
 * Pods that may be unavailable during a rollout: 0 unless the strategy is RollingUpdate and
 * replicas > 0, and never more than replicas.
 */
export function maxUnavailable(d: Deployment): number {
  const replicas = desiredReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const bounds = rollingUpdateBounds(d);
  return Math.min(resolveFenceposts(bounds.maxSurge, bounds.maxUnavailable, replicas).unavailable, replicas);
}

/** Pods that must stay available: replicas − maxUnavailable (all of them with Recreate). */
export function minAvailable(d: Deployment): number {
  return desiredReplicas(d) - maxUnavailable(d);
}
