import type { KubernetesObject } from '@kubernetes/client-node';
import {
  BehaviorSubject,
  EMPTY,
  Observable,
  Subject,
  filter,
  firstValueFrom,
  fromEvent,
  map,
  merge,
  timeout,
} from 'rxjs';
import type { InformerEvent } from './informer-event.ts';
import { Reflector, type ListerWatcher, type ReflectorOptions } from './reflector.ts';
import { Store, byControllerUid, byNamespace, type IndexFunction } from './store.ts';
import { stripManagedFields } from './transform.ts';

export interface InformerOptions<T> extends ReflectorOptions<T> {
  /** Extra indexes besides `namespace` and `controller` (controller owner UID). */
  readonly indexers?: Readonly<Record<string, IndexFunction<T>>>;
  /**
   * Re-deliver every cached object as an `updated` event (fromList, so low priority) this often,
   * so controllers periodically revisit everything; default off (controller-runtime: 10 h).
   */
  readonly resyncPeriodMs?: number;
}

/** The informer did not finish its initial list in time. */
export class CacheSyncTimeoutError extends Error {
  override readonly name = 'CacheSyncTimeoutError';
}

/** A failed list, as {@link SyncWaitOptions.failFast} sees it. */
export interface ListFailure {
  readonly error: unknown;
  /** Lists failed in a row, this one included. */
  readonly consecutiveFailures: number;
}

export interface SyncWaitOptions {
  /** Stop waiting (rejecting with the signal's reason) when this aborts. */
  readonly signal?: AbortSignal;
  /**
   * Called for each failed list while waiting; returning an error ends the wait with it, for
   * failures that retrying will not fix (e.g. 403 or a kind the apiserver does not serve).
   */
  readonly failFast?: (failure: ListFailure) => Error | undefined;
}

/** `start()` was called on an informer that was stopped: its event stream has completed. */
export class InformerStoppedError extends Error {
  override readonly name = 'InformerStoppedError';
}

/**
 * A cache of one collection kept current by list/watch, and a stream of what changed.
 * - `store`: the cached objects, with indexes (`namespace`, `controller`, and custom ones).
 * - `events()`: a stream of changes; a new subscriber first gets every cached object as `added`
 *   (fromList), then live changes, so subscribing late misses nothing.
 * - `synced$`: emits true once the first list has been applied.
 */
export class Informer<T extends KubernetesObject> {
  readonly store: Store<T>;
  readonly reflector: Reflector<T>;
  private readonly changes = new Subject<InformerEvent<T>>();
  private readonly syncedSubject = new BehaviorSubject(false);
  private readonly listFailures = new Subject<ListFailure>();
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private resyncTimer: NodeJS.Timeout | undefined;
  private readonly resyncPeriodMs: number | undefined;

  constructor(source: ListerWatcher<T>, options: InformerOptions<T> = {}) {
    this.store = new Store<T>({
      namespace: byNamespace,
      controller: byControllerUid,
      ...options.indexers,
    });
    this.resyncPeriodMs = options.resyncPeriodMs;
    this.reflector = new Reflector<T>(
      source,
      this.store,
      (events) => {
        for (const event of events) this.changes.next(event);
      },
      () => {
        if (!this.syncedSubject.value) this.syncedSubject.next(true);
      },
      {
        transform: stripManagedFields,
        ...options,
        onListFailure: (error, consecutiveFailures) => {
          options.onListFailure?.(error, consecutiveFailures);
          this.listFailures.next({ error, consecutiveFailures });
        },
      },
    );
  }

  /** Cached objects replayed as `added`, then live changes (see {@link events}). */
  get events$(): Observable<InformerEvent<T>> {
    return this.events();
  }

  /** Emits `true` once the initial list is in the store (replays the current value). */
  get synced$(): Observable<boolean> {
    return this.syncedSubject.asObservable();
  }

  get hasSynced(): boolean {
    return this.syncedSubject.value;
  }

  /** Cached objects replayed as `added`, then live changes. */
  events(): Observable<InformerEvent<T>> {
    return new Observable<InformerEvent<T>>((subscriber) => {
      // Replay and subscription happen in one synchronous step, so no change falls in between.
      for (const object of this.store.list()) subscriber.next({ type: 'added', object, fromList: true });
      return this.changes.subscribe(subscriber);
    });
  }

  /** Starts list/watch (idempotent). A stopped informer cannot start again: make a new one. */
  start(): void {
    if (this.stopped) throw new InformerStoppedError('this informer was stopped; create a new one');
    if (this.running) return;
    this.abort = new AbortController();
    this.running = this.reflector.run(this.abort.signal);
    if (this.resyncPeriodMs) {
      this.resyncTimer = setInterval(() => this.resync(), this.resyncPeriodMs);
      this.resyncTimer.unref();
    }
  }

  /** Re-delivers every cached object as an unchanged `updated` event. */
  resync(): void {
    if (!this.hasSynced) return;
    for (const object of this.store.list())
      this.changes.next({ type: 'updated', object, previous: object, fromList: true });
  }

  /** Stops list/watch and completes the event stream. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.resyncTimer);
    this.abort?.abort();
    await this.running;
    this.running = undefined;
    this.changes.complete();
  }

  /**
   * Resolves once synced; rejects with CacheSyncTimeoutError after `timeoutMs`, with the signal's
   * reason if `options.signal` aborts first, or with what `options.failFast` returns for a failed list.
   */
  async waitForSync(
    timeoutMs: number,
    description = 'informer',
    options: SyncWaitOptions = {},
  ): Promise<void> {
    const { signal, failFast } = options;
    signal?.throwIfAborted();
    const synced = this.syncedSubject.pipe(
      filter(Boolean),
      map(() => undefined),
    );
    const failed = failFast
      ? this.listFailures.pipe(
          map((failure) => {
            const error = failFast(failure);
            if (error) throw error;
          }),
          filter(() => false),
        )
      : EMPTY;
    const aborted = signal
      ? fromEvent(signal, 'abort').pipe(
          map(() => {
            throw signal.reason;
          }),
        )
      : EMPTY;
    await firstValueFrom(
      merge(synced, failed, aborted).pipe(
        timeout({
          first: timeoutMs,
          with: () => {
            throw new CacheSyncTimeoutError(`${description} did not sync within ${timeoutMs} ms`);
          },
        }),
      ),
    );
  }
}
