import type { KubernetesObject } from '@kubernetes/client-node';
import { pino, type Logger } from 'pino';
import type { Observable } from 'rxjs';
import { systemClock, type Clock } from '../clock/clock.ts';
import { BadRequestError, GoneError, InvalidError, ForbiddenError } from '../client/errors.ts';
import type { ListResult, WatchOptions } from '../client/resource-client.ts';
import type { WatchEvent } from '../client/watch-stream.ts';
import { errorLogFields } from '../errors/error-log-fields.ts';
import { Backoff, type BackoffPolicy } from '../ratelimit/backoff.ts';
import type { InformerEvent } from './informer-event.ts';
import { cacheKey } from './object-key.ts';
import type { Store } from './store.ts';
import type { Transform } from './transform.ts';

/** The two calls a reflector needs, so tests can give it a fake apiserver. */
export interface ListerWatcher<T> {
  /**
   * A complete list (paginated underneath). `resourceVersion: '0'` lets the apiserver answer from
   * its watch cache (first sync); undefined asks for a consistent read (relists).
   */
  list(signal: AbortSignal, resourceVersion?: string): Promise<ListResult<T>>;
  watch(options: WatchOptions): Observable<WatchEvent<T>>;
}

/** How the reflector gets its initial state. */
export type InitialListMode =
  /** LIST (paginated), then WATCH from the list's resourceVersion. */
  | 'list'
  /** A streaming list (`sendInitialEvents`) where the server supports it, falling back to `list`. */
  | 'stream';

export interface ReflectorOptions<T> {
  readonly clock?: Clock;
  readonly random?: () => number;
  /** Backoff between failed lists/watches and before relists; default 800 ms → 30 s, jittered. */
  readonly backoff?: BackoffPolicy;
  /** Server-side watch duration range in seconds, chosen at random per watch; default [300, 600]. */
  readonly watchTimeoutSeconds?: readonly [number, number];
  readonly initialList?: InitialListMode;
  readonly transform?: Transform<T>;
  readonly logger?: Logger;
  /** Names the informer in logs. */
  readonly description?: string;
  /**
   * Called when a list (initial or relist) fails, with how many lists in a row have failed, so a
   * caller waiting for the first sync can give up on errors that retrying will not fix (403, a kind
   * not served). The reflector itself keeps retrying.
   */
  readonly onListFailure?: (error: unknown, consecutiveFailures: number) => void;
}

type State = { readonly phase: 'list' } | { readonly phase: 'watch'; readonly resourceVersion: string };

const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';
const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 800, maxMs: 30_000, factor: 2, jitter: 0.5 };
const HEALTHY_WATCH_MS = 30_000;

/** The watch ended in a way that means its resourceVersion cannot be resumed. */
const needsRelist = (error: unknown) => error instanceof GoneError;

/** The server refused a streaming list; use plain lists from now on. */
const streamingUnsupported = (error: unknown) =>
  error instanceof BadRequestError || error instanceof InvalidError || error instanceof ForbiddenError;

/**
 * Keeps a {@link Store} equal to the server's state of a collection: list, then watch from the list's
 * resourceVersion; on a dropped or ended watch, resume from the last resourceVersion seen (events or
 * bookmarks); relist only on 410 Gone, with jittered backoff; a relist emits synthetic deletes for
 * objects that vanished meanwhile. The loop is an explicit two-state machine (list ↔ watch).
 */
export class Reflector<T extends KubernetesObject> {
  private readonly source: ListerWatcher<T>;
  private readonly store: Store<T>;
  private readonly emit: (events: InformerEvent<T>[]) => void;
  private readonly onSynced: () => void;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly backoff: Backoff;
  private readonly options: ReflectorOptions<T>;
  private readonly logger: Logger;
  private streaming: boolean;
  /** LIST requests made (and streaming lists started), for tests and diagnostics. */
  listCount = 0;
  /** The last resourceVersion the store reflects (opaque). */
  lastResourceVersion = '';
  private consecutiveListFailures = 0;

  constructor(
    source: ListerWatcher<T>,
    store: Store<T>,
    emit: (events: InformerEvent<T>[]) => void,
    onSynced: () => void,
    options: ReflectorOptions<T> = {},
  ) {
    this.source = source;
    this.store = store;
    this.emit = emit;
    this.onSynced = onSynced;
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF, this.random);
    this.logger = (options.logger ?? pino({ level: 'silent' })).child({
      informer: options.description ?? 'informer',
    });
    this.streaming = options.initialList === 'stream';
  }

  /** Runs until `signal` aborts. Never throws for apiserver trouble: it backs off and retries. */
  async run(signal: AbortSignal): Promise<void> {
    let state: State = { phase: 'list' };
    while (!signal.aborted) {
      try {
        state =
          state.phase === 'list'
            ? await this.initialState(signal)
            : await this.watch(state.resourceVersion, false, signal);
      } catch (error) {
        // The signal may have aborted during the awaits above; the narrowing from the loop test is stale.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
        if (signal.aborted) return;
        if (state.phase === 'list' && this.streaming && streamingUnsupported(error)) {
          this.logger.info({ err: error }, 'server refused a streaming list; falling back to LIST');
          this.streaming = false;
          continue;
        }
        if (state.phase === 'list') this.options.onListFailure?.(error, ++this.consecutiveListFailures);
        const relist = needsRelist(error);
        const delayMs = this.backoff.next();
        this.logger.warn(
          { ...errorLogFields(error), phase: state.phase, relist, delayMs: Math.round(delayMs) },
          relist
            ? 'resourceVersion expired; relisting after backoff'
            : 'list/watch failed; retrying after backoff',
        );
        // Resume from the last version seen (events and bookmarks), not where the watch began.
        if (relist) state = { phase: 'list' };
        else if (state.phase === 'watch')
          state = { phase: 'watch', resourceVersion: this.lastResourceVersion };
        await this.clock.sleep(delayMs, signal).catch(() => undefined);
      }
    }
  }

  private async initialState(signal: AbortSignal): Promise<State> {
    if (this.streaming) return this.watch('', true, signal);
    // Like client-go: the first list may be served from the watch cache; a relist after 410
    // must be a consistent read, or it could go back in time.
    const firstList = this.listCount === 0;
    this.listCount++;
    this.logger.debug({ firstList }, 'listing');
    const list = await this.source.list(signal, firstList ? '0' : undefined);
    this.logger.debug({ items: list.items.length, resourceVersion: list.resourceVersion }, 'listed');
    this.applyList(list.items);
    this.lastResourceVersion = list.resourceVersion;
    return { phase: 'watch', resourceVersion: list.resourceVersion };
  }

  private applyList(items: readonly T[]): void {
    const transform = this.options.transform;
    const changes = this.store.replace(transform ? items.map(transform) : items);
    const events: InformerEvent<T>[] = [
      ...changes.removed.map((object) => ({ type: 'deleted' as const, object, fromList: true })),
      ...changes.added.map((object) => ({ type: 'added' as const, object, fromList: true })),
      ...changes.updated.map(({ object, previous }) => ({
        type: 'updated' as const,
        object,
        previous,
        fromList: true,
      })),
    ];
    if (events.length) this.emit(events);
    this.consecutiveListFailures = 0;
    this.onSynced();
  }

  /**
   * Consumes one watch. With `initial`, it is a streaming list: ADDED events are gathered until the
   * initial-events-end bookmark and then applied as a list. Resolves with the state to go on from.
   */
  private watch(resourceVersion: string, initial: boolean, signal: AbortSignal): Promise<State> {
    const [low, high] = this.options.watchTimeoutSeconds ?? [300, 600];
    const timeoutSeconds = Math.floor(low + this.random() * (high - low));
    if (initial) this.listCount++;
    const startedAt = this.clock.now();
    let gathering: T[] | undefined = initial ? [] : undefined;
    let lastResourceVersion = resourceVersion;
    const transform = this.options.transform;
    this.logger.debug({ resourceVersion, initial, timeoutSeconds }, 'watching');

    return new Promise<State>((resolve, reject) => {
      const onAbort = () => {
        subscription.unsubscribe();
        resolve({ phase: 'watch', resourceVersion: lastResourceVersion });
      };
      const finish = (settle: () => void) => {
        signal.removeEventListener('abort', onAbort);
        if (this.clock.now() - startedAt >= HEALTHY_WATCH_MS) this.backoff.reset();
        settle();
      };
      const subscription = this.source
        .watch({
          resourceVersion: initial ? undefined : resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds,
          ...(initial ? { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan' as const } : {}),
        })
        .subscribe({
          next: (event) => {
            const version = event.object.metadata?.resourceVersion;
            if (event.type === 'BOOKMARK') {
              if (version) lastResourceVersion = version;
              if (gathering && event.object.metadata?.annotations?.[INITIAL_EVENTS_END] === 'true') {
                this.applyList(gathering);
                gathering = undefined;
              }
              this.lastResourceVersion = lastResourceVersion;
              return;
            }
            const object = transform ? transform(event.object) : event.object;
            if (gathering) gathering.push(object);
            else this.applyWatchEvent(event.type, object);
            if (version) lastResourceVersion = version;
            if (!gathering) this.lastResourceVersion = lastResourceVersion;
          },
          error: (error: unknown) =>
            finish(() => reject(error instanceof Error ? error : new Error(String(error)))),
          // The server ends every watch at timeoutSeconds: resume where it stopped.
          complete: () =>
            finish(() => {
              this.logger.debug({ resourceVersion: lastResourceVersion }, 'watch ended by the server');
              resolve(
                gathering ? { phase: 'list' } : { phase: 'watch', resourceVersion: lastResourceVersion },
              );
            }),
        });
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private applyWatchEvent(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: T): void {
    if (type === 'DELETED') {
      this.store.remove(cacheKey(object));
      this.emit([{ type: 'deleted', object, fromList: false }]);
      return;
    }
    const previous = this.store.upsert(object);
    this.emit([
      previous
        ? { type: 'updated', object, previous, fromList: false }
        : { type: 'added', object, fromList: false },
    ]);
  }
}
