import { systemClock, type Clock, type TimerHandle } from '../clock/clock.ts';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.ts';
import {
  stopWatchingInFlight,
  watchInFlight,
  workqueueAdds,
  workqueueDepth,
  workqueueQueueDuration,
  workqueueRetries,
  workqueueWorkDuration,
  type InFlightAges,
} from './work-queue-metrics.ts';

/** Priority of an add: higher is served first. Events from initial lists and resyncs use LOW. */
export const Priority = { NORMAL: 0, LOW: -100 } as const;

export interface AddOptions {
  /** Higher runs first; default {@link Priority.NORMAL}. */
  readonly priority?: number;
  /** Make the key ready only after this many milliseconds. */
  readonly afterMs?: number;
}

export interface WorkQueueOptions<K> {
  /** Names the queue in metrics (`name` and `controller` labels). */
  readonly name: string;
  readonly rateLimiter?: RateLimiter<K>;
  readonly clock?: Clock;
  /** Record Prometheus metrics; default true. */
  readonly metrics?: boolean;
}

interface Delayed {
  readonly readyAt: number;
  readonly priority: number;
  readonly timer: TimerHandle;
}

/**
 * A deduplicating, rate-limited work queue with priorities and delays, with controller-runtime's
 * guarantees:
 * - a key is queued at most once; adding it again only raises its priority or brings it forward;
 * - a key is handed to one worker at a time; if it is added while being processed, it is queued
 *   again when that worker calls `done`, so the latest change is always seen;
 * - `shutdown` stops handing out keys, and `drain` waits for the ones being processed.
 */
export class WorkQueue<K = string> {
  readonly name: string;
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter<K>;
  private readonly labels: { name: string; controller: string } | undefined;
  /** Ready keys by priority, FIFO within a priority (entries whose key moved on are skipped). */
  private readonly ready = new Map<number, FifoBucket<K>>();
  private readonly readyPriority = new Map<K, number>();
  private readonly readySince = new Map<K, number>();
  private readonly delayed = new Map<K, Delayed>();
  private readonly processing = new Map<K, number>();
  /** Keys added while being processed, with the priority to re-queue them at. */
  private readonly dirty = new Map<K, number>();
  private readonly waiters: ((key: K | undefined) => void)[] = [];
  private readonly drainWaiters: (() => void)[] = [];
  private isShutDown = false;

  constructor(options: WorkQueueOptions<K>) {
    this.name = options.name;
    this.clock = options.clock ?? systemClock;
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<K>(this.clock);
    this.labels = options.metrics === false ? undefined : { name: options.name, controller: options.name };
    if (this.labels) watchInFlight(this.labels, () => this.inFlightAges());
  }

  /** How long the keys being processed have been at it (for the workqueue gauges). */
  private inFlightAges(): InFlightAges {
    const now = this.clock.now();
    let totalSeconds = 0;
    let longestSeconds = 0;
    for (const started of this.processing.values()) {
      const seconds = (now - started) / 1000;
      totalSeconds += seconds;
      longestSeconds = Math.max(longestSeconds, seconds);
    }
    return { totalSeconds, longestSeconds };
  }

  /** Keys ready to be handed out (not counting delayed or in-flight ones). */
  get length(): number {
    return this.readyPriority.size;
  }

  /** Keys waiting for their delay. */
  get delayedLength(): number {
    return this.delayed.size;
  }

  /** Keys being processed right now. */
  get inFlight(): number {
    return this.processing.size;
  }

  get shuttingDown(): boolean {
    return this.isShutDown;
  }

  /** Queues `key` (now, or after `afterMs`). */
  add(key: K, options: AddOptions = {}): void {
    if (this.isShutDown) return;
    const priority = options.priority ?? Priority.NORMAL;
    const afterMs = options.afterMs ?? 0;
    if (afterMs > 0) {
      this.addDelayed(key, priority, afterMs);
      return;
    }
    if (this.labels) workqueueAdds.inc(this.labels);
    const pending = this.delayed.get(key);
    if (pending) {
      pending.timer.cancel();
      this.delayed.delete(key);
    }
    if (this.processing.has(key)) {
      this.dirty.set(key, Math.max(priority, this.dirty.get(key) ?? -Infinity));
      return;
    }
    this.makeReady(key, priority);
  }

  /** Queues `key` after `ms` milliseconds. */
  addAfter(key: K, ms: number, priority?: number): void {
    this.add(key, { afterMs: ms, ...(priority === undefined ? {} : { priority }) });
  }

  /** Queues `key` after the rate limiter's delay for it (a failure). */
  addRateLimited(key: K, priority?: number): void {
    if (this.isShutDown) return;
    if (this.labels) workqueueRetries.inc(this.labels);
    this.addAfter(key, this.rateLimiter.when(key), priority);
  }

  /** Clears `key`'s failure history (call after a successful reconcile). */
  forget(key: K): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.rateLimiter.numRequeues(key);
  }

  /**
   * The next key, highest priority first and FIFO within a priority. Waits while the queue is empty.
   * Resolves `undefined` once the queue is shut down. The caller must call `done(key)` after.
   */
  get(): Promise<K | undefined> {
    if (this.isShutDown) return Promise.resolve(undefined);
    const key = this.takeReady();
    if (key !== undefined) return Promise.resolve(key);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks `key` processed; if it was added meanwhile, it is queued again. */
  done(key: K): void {
    const started = this.processing.get(key);
    if (started === undefined) return;
    this.processing.delete(key);
    if (this.labels) workqueueWorkDuration.observe(this.labels, (this.clock.now() - started) / 1000);
    const dirtyPriority = this.dirty.get(key);
    if (dirtyPriority !== undefined) {
      this.dirty.delete(key);
      if (!this.isShutDown) this.makeReady(key, dirtyPriority);
    }
    if (this.processing.size === 0) for (const wake of this.drainWaiters.splice(0)) wake();
  }

  /** Stops handing out keys; workers waiting in `get()` receive `undefined`. */
  shutdown(): void {
    if (this.isShutDown) return;
    this.isShutDown = true;
    if (this.labels) stopWatchingInFlight(this.labels);
    for (const pending of this.delayed.values()) pending.timer.cancel();
    this.delayed.clear();
    for (const wake of this.waiters.splice(0)) wake(undefined);
  }

  /** Shuts down and resolves once every key being processed is `done`. */
  async drain(): Promise<void> {
    this.shutdown();
    if (this.processing.size === 0) return;
    await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }

  private addDelayed(key: K, priority: number, afterMs: number): void {
    const readyAt = this.clock.now() + afterMs;
    if (this.readyPriority.has(key)) return; // already ready sooner
    const existing = this.delayed.get(key);
    if (existing && existing.readyAt <= readyAt) return;
    existing?.timer.cancel();
    const timer = this.clock.setTimer(afterMs, () => {
      this.delayed.delete(key);
      this.add(key, { priority });
    });
    this.delayed.set(key, { readyAt, priority, timer });
  }

  private makeReady(key: K, priority: number): void {
    const current = this.readyPriority.get(key);
    if (current !== undefined) {
      // Raising the priority leaves a stale entry in the old bucket; takeReady skips it.
      if (priority <= current) return;
    } else {
      this.readySince.set(key, this.clock.now());
      if (this.labels) workqueueDepth.inc(this.labels);
    }
    this.readyPriority.set(key, priority);
    let bucket = this.ready.get(priority);
    if (!bucket) this.ready.set(priority, (bucket = new FifoBucket<K>()));
    bucket.push(key);
    const waiter = this.waiters.shift();
    if (waiter) waiter(this.takeReady());
  }

  private takeReady(): K | undefined {
    for (;;) {
      let best: number | undefined;
      for (const [priority, bucket] of this.ready) {
        if (bucket.size > 0 && (best === undefined || priority > best)) best = priority;
      }
      if (best === undefined) return undefined;
      const key = this.ready.get(best)?.shift() as K;
      // An entry is stale if the key was handed out since, or moved to a higher priority.
      if (this.readyPriority.get(key) !== best) continue;
      this.readyPriority.delete(key);
      const since = this.readySince.get(key) ?? this.clock.now();
      this.readySince.delete(key);
      this.processing.set(key, this.clock.now());
      if (this.labels) {
        workqueueDepth.dec(this.labels);
        workqueueQueueDuration.observe(this.labels, (this.clock.now() - since) / 1000);
      }
      return key;
    }
  }
}

/** An array FIFO with a moving head: O(1) push and shift, compacted as the head advances. */
class FifoBucket<K> {
  private items: K[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(key: K): void {
    this.items.push(key);
  }

  shift(): K | undefined {
    if (this.head >= this.items.length) return undefined;
    const key = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return key;
  }
}
