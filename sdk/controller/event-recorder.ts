import { randomBytes } from 'node:crypto';
import type { CoreV1Event, KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Client } from '../client/client.ts';
import { isNotFound } from '../client/errors.ts';
import { kinds } from '../client/resource-kind.ts';
import { systemClock, type Clock } from '../clock/clock.ts';

/** Normal events say what happened; Warning events say what went wrong. */
export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  readonly clock?: Clock;
}

/** Events about one object that differ only in message: past this many in the window, they are combined. */
const AGGREGATE_MAX_MESSAGES = 10;
/** A group of similar events is forgotten after this long without one. */
const AGGREGATE_WINDOW_MS = 600_000;
/** Events one recorder may write about one object at once... */
const SPAM_BURST = 25;
/** ...and how fast that allowance refills (one event every five minutes). */
const SPAM_REFILL_PER_MS = 1 / 300_000;
/** Entries each correlation table keeps (least recently used ones go first). */
const TABLE_SIZE = 4096;
const COMBINED_PREFIX = '(combined from similar events): ';

/**
 * Records core/v1 Events about objects, as `kubectl describe` shows them. Recording never throws:
 * an event that cannot be written is logged and dropped, so it can never fail a reconcile.
 *
 * Like client-go's event correlator, a recorder keeps the number of writes bounded when the same
 * thing keeps happening (e.g. one event per pod created):
 * - a repeat of an event (same object, type, reason and message) increments the count of the event
 *   already written, with a patch, instead of creating another one;
 * - from the 10th distinct message about an object with the same type and reason within 10 minutes
 *   on, they go into a single "(combined from similar events): …" event, counted;
 * - one recorder writes at most 25 events about an object, plus one every 5 minutes after that;
 *   the rest are dropped.
 * Writes go out one at a time, in the order recorded.
 */
export class EventRecorder {
  private readonly client: Client;
  private readonly component: string;
  private readonly logger: Logger;
  private readonly clock: Clock;
  /** Distinct messages seen recently, by object, type and reason. */
  private readonly groups = new LruTable<{ messages: Set<string>; last: number }>(TABLE_SIZE);
  /** Events written, by what makes a repeat: the name to patch and the count so far. */
  private readonly written = new LruTable<{ name: string; count: number; first: Date }>(TABLE_SIZE);
  /** Each object's write allowance. */
  private readonly allowance = new LruTable<{ tokens: number; at: number }>(TABLE_SIZE);
  private tail: Promise<void> = Promise.resolve();

  constructor(client: Client, component: string, logger: Logger, options: EventRecorderOptions = {}) {
    this.client = client;
    this.component = component;
    this.logger = logger;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Records `reason` (CamelCase, e.g. `ScalingReplicaSet`) with a human message. Resolves once the
   * event is written (or dropped).
   */
  record(object: KubernetesObject, type: EventType, reason: string, message: string): Promise<void> {
    const nowMs = this.clock.now();
    const now = new Date(nowMs);
    const namespace = object.metadata?.namespace ?? 'default';
    const involvedObject = definedOnly({
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: object.metadata?.name,
      namespace: object.metadata?.namespace,
      uid: object.metadata?.uid,
      resourceVersion: object.metadata?.resourceVersion,
    });
    const objectKey = [
      this.component,
      object.kind,
      object.metadata?.namespace,
      object.metadata?.name,
      object.metadata?.uid,
      object.apiVersion,
    ].join('\u0000');
    const groupKey = `${objectKey}\u0000${type}\u0000${reason}`;

    // Aggregate: the 10th distinct message in the window and later ones become the combined event.
    let group = this.groups.get(groupKey);
    if (!group || nowMs - group.last > AGGREGATE_WINDOW_MS) group = { messages: new Set(), last: nowMs };
    group.messages.add(message);
    group.last = nowMs;
    this.groups.set(groupKey, group);
    const combined = group.messages.size >= AGGREGATE_MAX_MESSAGES;
    if (combined) {
      // Keep the set at its bound, as upstream does: forget one message.
      const first = group.messages.values().next();
      if (!first.done) group.messages.delete(first.value);
    }
    const text = combined ? `${COMBINED_PREFIX}${message}` : message;
    const repeatKey = combined ? `${groupKey}\u0000*` : `${groupKey}\u0000${message}`;

    // Count: a repeat patches the event already written.
    const previous = this.written.get(repeatKey);
    const name = previous?.name ?? `${object.metadata?.name ?? 'object'}.${randomBytes(8).toString('hex')}`;
    const count = (previous?.count ?? 0) + 1;
    const firstTimestamp = previous?.first ?? now;
    this.written.set(repeatKey, { name, count, first: firstTimestamp });

    // Spam filter: drop what is over the object's allowance.
    if (!this.takeAllowance(objectKey, nowMs)) return Promise.resolve();

    const event: CoreV1Event = {
      metadata: { name, namespace },
      involvedObject,
      type,
      reason,
      message: text,
      source: { component: this.component },
      reportingComponent: this.component,
      reportingInstance: this.component,
      firstTimestamp,
      lastTimestamp: now,
      count,
    };
    const write = this.tail.then(() => this.write(event, previous !== undefined));
    this.tail = write;
    return write;
  }

  private takeAllowance(objectKey: string, nowMs: number): boolean {
    const bucket = this.allowance.get(objectKey) ?? { tokens: SPAM_BURST, at: nowMs };
    bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + (nowMs - bucket.at) * SPAM_REFILL_PER_MS);
    bucket.at = nowMs;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.allowance.set(objectKey, bucket);
    return allowed;
  }

  private async write(event: CoreV1Event, repeat: boolean): Promise<void> {
    const events = this.client.resource(kinds.Event);
    try {
      if (repeat) {
        try {
          await events.patch(
            { namespace: event.metadata.namespace, name: event.metadata.name ?? '' },
            { count: event.count, lastTimestamp: event.lastTimestamp, message: event.message },
            { type: 'merge' },
          );
          return;
        } catch (error) {
          // The first one was never written, or has expired: write it afresh.
          if (!isNotFound(error)) throw error;
        }
      }
      await events.create(event);
    } catch (error) {
      this.logger.warn(
        { err: error, reason: event.reason, object: event.involvedObject.name },
        'could not record event',
      );
    }
  }
}

/** A Map bounded to `size` entries that drops the least recently used one. */
class LruTable<V> {
  private readonly entries = new Map<string, V>();
  private readonly size: number;

  constructor(size: number) {
    this.size = size;
  }

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.size) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}

/** Drops undefined fields (client-node's types do not accept explicit undefined). */
function definedOnly<T extends Record<string, unknown>>(
  record: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
