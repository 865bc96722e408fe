import { systemClock, type Clock } from '../clock/clock.ts';
import { RolloutError, type RolloutStatus } from './rollout-workload.ts';

/** How `rollout status` waits. */
export interface FollowOptions {
  /** Give up after this many milliseconds; 0 waits for ever. */
  readonly timeoutMs: number;
  /** false: report the current status once and return (`--no-watch`). */
  readonly watch: boolean;
  /** How often to read the object again. */
  readonly intervalMs: number;
  /** Named in the timeout error, e.g. `statefulset "web"`. */
  readonly what: string;
  readonly clock?: Clock;
}

/**
 * `rollout status`: reads the rollout's status, prints each new line, and returns once it is done
 * (or after one read without `watch`). Reading is polling rather than a watch: the commands are
 * short-lived and a status line changes a few times a second at most. Errors from `read` (a
 * RolloutError from a status viewer among them) end the wait; so does the timeout, with a
 * RolloutError.
 */
export async function followRollout(
  read: () => Promise<RolloutStatus>,
  options: FollowOptions,
  print: (line: string) => void,
): Promise<void> {
  const clock = options.clock ?? systemClock;
  const deadline = options.timeoutMs > 0 ? clock.now() + options.timeoutMs : Number.POSITIVE_INFINITY;
  let last: string | undefined;
  for (;;) {
    const status = await read();
    // kubectl prints on every watch event; repeating an unchanged line adds nothing.
    if (status.message !== last) print(status.message);
    last = status.message;
    if (status.done || !options.watch) return;
    const remaining = deadline - clock.now();
    if (remaining <= 0)
      throw new RolloutError(
        `timed out waiting for ${options.what} rollout to finish (--timeout ${String(options.timeoutMs / 1000)}s)`,
      );
    await clock.sleep(Math.min(options.intervalMs, remaining));
  }
}
