/** Exponential backoff bounds. */
export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  /** Multiplier per step; default 2. */
  readonly factor?: number;
  /** Fraction of random spread added on top (0.5 → up to +50 %); default 0. */
  readonly jitter?: number;
}

/** The delay before retry number `attempt` (0-based): initial × factor^attempt, capped, plus jitter. */
export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(policy.maxMs, policy.initialMs * Math.pow(policy.factor ?? 2, Math.max(0, attempt)));
  const jitter = policy.jitter ?? 0;
  return jitter > 0 ? Math.min(policy.maxMs * (1 + jitter), base * (1 + random() * jitter)) : base;
}

/**
 * Stateful backoff for one loop (e.g. a reflector): steps up on each failure, resets after a
 * success that lasted.
 */
export class Backoff {
  private attempt = 0;
  private readonly policy: BackoffPolicy;
  private readonly random: () => number;

  constructor(policy: BackoffPolicy, random: () => number = Math.random) {
    this.policy = policy;
    this.random = random;
  }

  /** The next delay, and steps up. */
  next(): number {
    return backoffDelay(this.policy, this.attempt++, this.random);
  }

  reset(): void {
    this.attempt = 0;
  }
}
