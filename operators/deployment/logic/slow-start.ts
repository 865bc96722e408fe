// A ReplicaSet creates pods in batches of 1, 2, 4, ... so that a systematic failure (quota,
// admission) costs one failed call, not hundreds.

/** Pods a ReplicaSet creates or deletes in one sync at most. */
export const BURST_REPLICAS = 500;
/** First slow-start batch size. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

/**
 * The batch sizes for `count` calls: doubling from `initial`, each capped by `max` (a
 * StatefulSet's 500; a ReplicaSet limits `count` instead), the last one by what remains.
 */
export function slowStartBatchSizes(
  count: number,
  initial: number = SLOW_START_INITIAL_BATCH_SIZE,
  max: number = Infinity,
): number[] {
  const sizes: number[] = [];
  let remaining = count;
  for (let size = Math.min(remaining, initial); size > 0; size = Math.min(2 * size, remaining, max)) {
    sizes.push(size);
    remaining -= size;
  }
  return sizes;
}

/** How a slow start ended. */
export interface SlowStartResult {
  /** Calls that succeeded. */
  readonly successes: number;
  /** Calls never made because a batch failed. */
  readonly skipped: number;
  /** The first error of the failing batch, if any. */
  readonly error?: unknown;
}

/**
 * Runs `attempt` `count` times in slow-start batches, each batch concurrently; stops after the
 * first batch with a failure. Each call gets its index (0 … count − 1). A caller that recorded
 * expectations for `count` objects lowers them by `count − successes`: neither skipped nor failed
 * calls will ever be observed.
 */
export async function runInSlowStartBatches(
  count: number,
  attempt: (index: number) => Promise<void>,
  initial: number = SLOW_START_INITIAL_BATCH_SIZE,
  max: number = Infinity,
): Promise<SlowStartResult> {
  let successes = 0;
  let made = 0;
  for (const size of slowStartBatchSizes(count, initial, max)) {
    const first = made;
    const results = await Promise.allSettled(Array.from({ length: size }, (_, i) => attempt(first + i)));
    made += size;
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += results.filter((r) => r.status === 'fulfilled').length;
    if (failure !== undefined) return { successes, skipped: count - made, error: failure.reason };
  }
  return { successes, skipped: 0 };
}
