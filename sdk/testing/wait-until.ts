import { setTimeout as sleep } from 'node:timers/promises';

/** Options for {@link waitUntil}. */
export interface WaitOptions {
  /** What is awaited, for the timeout message, e.g. `kube-apiserver /readyz`. */
  readonly what: string;
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Stops the wait early, e.g. because the component being waited for has exited. */
  readonly signal?: AbortSignal;
}

/** The condition was not met in time. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
  readonly what: string;
  readonly lastError: unknown;
  constructor(what: string, timeoutMs: number, lastError: unknown) {
    const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
    super(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    this.what = what;
    this.lastError = lastError;
  }
}

/**
 * Polls `check` until it returns a value other than `undefined`/`false`, and returns it.
 * Errors thrown by `check` count as "not yet" and the last one is reported on timeout.
 */
export async function waitUntil<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const result = await check();
      if (result !== undefined && result !== false) return result;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) throw new WaitTimeoutError(options.what, options.timeoutMs, lastError);
    try {
      await sleep(options.intervalMs ?? 200, undefined, options.signal ? { signal: options.signal } : {});
    } catch (error) {
      // Surface the reason the caller aborted with, not the timer's generic AbortError.
      options.signal?.throwIfAborted();
      throw error;
    }
  }
}
