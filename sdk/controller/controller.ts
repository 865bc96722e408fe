import { randomUUID } from 'node:crypto';
import { merge, type Observable, type Subscription } from 'rxjs';
import type { Logger } from 'pino';
import type { Client } from '../client/client.ts';
import { ConflictError } from '../client/errors.ts';
import { WriteTally, withWriteTally } from '../client/write-tally.ts';
import { WorkQueue } from '../queue/work-queue.ts';
import type { RateLimiter } from '../queue/rate-limiter.ts';
import type { Clock } from '../clock/clock.ts';
import type { QueuedRequest } from './event-source.ts';
import { TerminalError, requestFromKey, requestKey, type Reconciler, type Result } from './reconcile.ts';
import {
  activeWorkers,
  maxConcurrentReconciles,
  reconcileErrors,
  reconcileTime,
  reconcileTotal,
  terminalReconcileErrors,
} from './controller-metrics.ts';

export interface ControllerOptions {
  readonly name: string;
  readonly reconciler: Reconciler;
  readonly sources: readonly Observable<QueuedRequest>[];
  readonly client: Client;
  readonly logger: Logger;
  /** Workers reconciling different keys at once; default 1. */
  readonly concurrency?: number;
  readonly rateLimiter?: RateLimiter;
  readonly clock?: Clock;
}

/**
 * Runs a reconciler: requests from its sources go through a work queue to `concurrency` workers.
 * A key is never reconciled by two workers at once. Errors are retried with backoff, a
 * TerminalError is not, and nothing a reconciler throws stops the loop.
 */
export class Controller {
  readonly name: string;
  readonly queue: WorkQueue;
  private readonly options: ControllerOptions;
  private readonly logger: Logger;
  private subscription: Subscription | undefined;
  private workers: Promise<void>[] = [];
  private abort = new AbortController();

  constructor(options: ControllerOptions) {
    this.options = options;
    this.name = options.name;
    this.logger = options.logger.child({ controller: options.name });
    this.queue = new WorkQueue({
      name: options.name,
      ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
  }

  /** Subscribes to the sources and starts the workers. Call after the caches have synced. */
  start(): void {
    if (this.subscription) return;
    const concurrency = this.options.concurrency ?? 1;
    maxConcurrentReconciles.set({ controller: this.name }, concurrency);
    activeWorkers.set({ controller: this.name }, 0);
    // Every series exists from the start, at 0, so dashboards and rate() see the controller at once.
    for (const result of ['success', 'error', 'requeue', 'requeue_after'])
      reconcileTotal.inc({ controller: this.name, result }, 0);
    reconcileErrors.inc({ controller: this.name }, 0);
    terminalReconcileErrors.inc({ controller: this.name }, 0);
    this.subscription = merge(...this.options.sources).subscribe({
      next: ({ request, priority }) => this.queue.add(requestKey(request), { priority }),
      error: (error: unknown) => this.logger.error({ err: error }, 'event source failed'),
    });
    this.workers = Array.from({ length: concurrency }, () => this.work());
    this.logger.info({ concurrency }, 'controller started');
  }

  /**
   * Stops: no new reconciles start; with `abortInFlight` the running ones are told to stop via
   * their signal (leadership lost), otherwise they finish (graceful shutdown).
   */
  async stop(options: { abortInFlight?: boolean } = {}): Promise<void> {
    this.subscription?.unsubscribe();
    if (options.abortInFlight) this.abort.abort(new Error(`controller ${this.name} stopped`));
    await this.queue.drain();
    await Promise.all(this.workers);
    // A controller that never started (start-up failed first) has nothing to report.
    if (this.subscription) this.logger.info('controller stopped');
  }

  /** Enqueues a request directly (e.g. from a timer or an external system). */
  enqueue(key: string, afterMs = 0): void {
    this.queue.add(key, { afterMs });
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      activeWorkers.inc({ controller: this.name });
      try {
        await this.reconcileOne(key);
      } finally {
        activeWorkers.dec({ controller: this.name });
        this.queue.done(key);
      }
    }
  }

  private async reconcileOne(key: string): Promise<void> {
    const request = requestFromKey(key);
    const reconcileId = randomUUID();
    const logger = this.logger.child({
      namespace: request.namespace,
      name: request.name,
      reconcileID: reconcileId,
    });
    const labels = { controller: this.name };
    const endTimer = reconcileTime.startTimer(labels);
    let result: Result | undefined;
    const writes = new WriteTally();
    try {
      result =
        (await withWriteTally(writes, () =>
          this.options.reconciler(request, {
            logger,
            signal: this.abort.signal,
            client: this.options.client,
            reconcileId,
          }),
        )) ?? undefined;
    } catch (error) {
      endTimer();
      if (error instanceof TerminalError) {
        this.queue.forget(key);
        reconcileTotal.inc({ ...labels, result: 'error' });
        // As controller-runtime: a terminal error is a reconcile error too, just not retried.
        reconcileErrors.inc(labels);
        terminalReconcileErrors.inc(labels);
        logger.error({ err: error }, 'reconcile failed with a terminal error; not retrying');
        return;
      }
      reconcileTotal.inc({ ...labels, result: 'error' });
      reconcileErrors.inc(labels);
      this.queue.addRateLimited(key);
      // A conflict means the cache was behind a write; the retry reads a fresher copy. Routine.
      const conflict = error instanceof ConflictError;
      logger[conflict ? 'debug' : 'error'](
        { err: error, requeues: this.queue.numRequeues(key) },
        conflict
          ? 'write conflicted with a newer version; retrying'
          : 'reconcile failed; retrying with backoff',
      );
      return;
    }
    endTimer();
    // One info line per reconcile that changed something; the rest (most of them) at debug.
    logger[writes.count > 0 ? 'info' : 'debug'](
      { writes: writes.count, requeueAfterMs: result?.requeueAfterMs, requeue: result?.requeue },
      'reconciled',
    );
    if (result?.requeueAfterMs !== undefined) {
      this.queue.forget(key);
      this.queue.addAfter(key, result.requeueAfterMs);
      reconcileTotal.inc({ ...labels, result: 'requeue_after' });
    } else if (result?.requeue) {
      this.queue.addRateLimited(key);
      reconcileTotal.inc({ ...labels, result: 'requeue' });
    } else {
      this.queue.forget(key);
      reconcileTotal.inc({ ...labels, result: 'success' });
    }
  }
}
