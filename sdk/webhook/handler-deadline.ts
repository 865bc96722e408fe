import { WebhookHandlerTimeoutError } from './errors.ts';

/**
 * Runs `work` with an abort signal and settles within `timeoutMs`: a late handler is abandoned
 * (its signal aborted) so the apiserver gets an answer before its own timeout.
 */
export async function withDeadline<R>(
  webhookPath: string,
  timeoutMs: number,
  work: (signal: AbortSignal) => R | Promise<R>,
): Promise<R> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new WebhookHandlerTimeoutError(webhookPath, timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    // The deadline only matters while the server is up to answer; it must not hold a stopped process open.
    timer.unref();
  });
  try {
    // `Promise.resolve().then` turns a synchronous throw into a rejection raced like any other.
    return await Promise.race([Promise.resolve().then(() => work(controller.signal)), expired]);
  } finally {
    clearTimeout(timer);
  }
}
