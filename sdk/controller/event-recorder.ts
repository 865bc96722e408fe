import { randomBytes } from 'node:crypto';
import type { CoreV1Event, KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Client } from '../client/client.ts';
import { kinds } from '../client/resource-kind.ts';

/** Normal events say what happened; Warning events say what went wrong. */
export type EventType = 'Normal' | 'Warning';

/**
 * Records core/v1 Events about objects, as `kubectl describe` shows them. Recording never throws:
 * an event that cannot be written is logged and dropped, so it can never fail a reconcile.
 */
export class EventRecorder {
  private readonly client: Client;
  private readonly component: string;
  private readonly logger: Logger;

  constructor(client: Client, component: string, logger: Logger) {
    this.client = client;
    this.component = component;
    this.logger = logger;
  }

  /** Records `reason` (CamelCase, e.g. `ScalingReplicaSet`) with a human message. */
  async record(object: KubernetesObject, type: EventType, reason: string, message: string): Promise<void> {
    const now = new Date();
    const namespace = object.metadata?.namespace ?? 'default';
    const event: CoreV1Event = {
      metadata: { name: `${object.metadata?.name ?? 'object'}.${randomBytes(8).toString('hex')}`, namespace },
      involvedObject: definedOnly({
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: object.metadata?.name,
        namespace: object.metadata?.namespace,
        uid: object.metadata?.uid,
        resourceVersion: object.metadata?.resourceVersion,
      }),
      type,
      reason,
      message,
      source: { component: this.component },
      reportingComponent: this.component,
      reportingInstance: this.component,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    try {
      await this.client.resource(kinds.Event).create(event);
    } catch (error) {
      this.logger.warn({ err: error, reason, object: object.metadata?.name }, 'could not record event');
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
