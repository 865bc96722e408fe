import type { KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Client } from '../client/client.ts';
import { describeKind, type ResourceKind } from '../client/resource-kind.ts';
import { Informer, type InformerOptions, type ListFailure } from './informer.ts';
import type { ListerWatcher } from './reflector.ts';

/** Which part of a kind an informer watches. */
export interface InformerScope {
  /** Watch one namespace; default all namespaces (or the cache's default namespace). */
  readonly namespace?: string | undefined;
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
}

export interface InformerCacheOptions {
  /** Restrict every informer to this namespace unless a scope names another. */
  readonly namespace?: string;
  readonly logger?: Logger;
  /** Defaults applied to every informer (transform, backoff, initial list mode...). */
  readonly informerOptions?: InformerOptions<KubernetesObject>;
  /** Page size for initial lists; default 500. */
  readonly pageSize?: number;
}

/** Options for {@link InformerCache.waitForSync}. */
export interface CacheSyncOptions {
  /** Stop waiting (rejecting with the signal's reason) when this aborts. */
  readonly signal?: AbortSignal;
  /**
   * Called for each failed list while waiting, with the informer's kind and scope; returning an
   * error ends the wait with it (for failures retrying will not fix, like 403).
   */
  readonly failFast?: (
    failure: ListFailure & { readonly kind: ResourceKind; readonly scope: InformerScope },
  ) => Error | undefined;
}

/** Reads a kind's objects through a client, as a reflector needs. */
export function listerWatcher<T extends KubernetesObject>(
  client: Client,
  kind: ResourceKind<T>,
  scope: InformerScope,
  pageSize = 500,
): ListerWatcher<T> {
  const resource = client.resource(kind);
  return {
    list: (signal, resourceVersion) => resource.listAll({ ...scope, pageSize, signal, resourceVersion }),
    watch: (options) => resource.watch({ ...scope, ...options }),
  };
}

/**
 * Shared informers: one per (kind, namespace, label selector, field selector), however many
 * controllers ask for it. Informers requested after `start()` start at once.
 */
export class InformerCache {
  private readonly client: Client;
  private readonly options: InformerCacheOptions;
  private readonly informers = new Map<
    string,
    {
      informer: Informer<KubernetesObject>;
      description: string;
      kind: ResourceKind;
      scope: InformerScope;
    }
  >();
  private started = false;

  constructor(client: Client, options: InformerCacheOptions = {}) {
    this.client = client;
    this.options = options;
  }

  /** The shared informer for a kind and scope. */
  informer<T extends KubernetesObject>(kind: ResourceKind<T>, scope: InformerScope = {}): Informer<T> {
    const effective: InformerScope = { ...scope, namespace: scope.namespace ?? this.options.namespace };
    const key = [
      kind.group,
      kind.version,
      kind.kind,
      effective.namespace ?? '',
      effective.labelSelector ?? '',
      effective.fieldSelector ?? '',
    ].join('|');
    const existing = this.informers.get(key);
    if (existing) return existing.informer as unknown as Informer<T>;
    const description = [
      describeKind(kind),
      effective.namespace && `ns=${effective.namespace}`,
      effective.labelSelector && `labels=${effective.labelSelector}`,
      effective.fieldSelector && `fields=${effective.fieldSelector}`,
    ]
      .filter(Boolean)
      .join(' ');
    const informer = new Informer<T>(listerWatcher(this.client, kind, effective, this.options.pageSize), {
      ...(this.options.informerOptions as InformerOptions<T> | undefined),
      ...(this.options.logger ? { logger: this.options.logger } : {}),
      description,
    });
    this.informers.set(key, {
      informer: informer as unknown as Informer<KubernetesObject>,
      description,
      kind,
      scope: effective,
    });
    if (this.started) informer.start();
    return informer;
  }

  /** Starts every informer, present and future. */
  start(): void {
    this.started = true;
    for (const { informer } of this.informers.values()) informer.start();
  }

  get hasSynced(): boolean {
    return [...this.informers.values()].every(({ informer }) => informer.hasSynced);
  }

  /** Waits until every informer has synced; see {@link CacheSyncOptions} for ending the wait early. */
  async waitForSync(timeoutMs: number, options: CacheSyncOptions = {}): Promise<void> {
    const { failFast } = options;
    // One failure ends every wait, so no informer's timeout timer outlives the answer.
    const settled = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, settled.signal]) : settled.signal;
    try {
      await Promise.all(
        [...this.informers.values()].map(({ informer, description, kind, scope }) =>
          informer.waitForSync(timeoutMs, description, {
            signal,
            ...(failFast ? { failFast: (failure) => failFast({ ...failure, kind, scope }) } : {}),
          }),
        ),
      );
    } finally {
      settled.abort();
    }
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.informers.values()].map(({ informer }) => informer.stop()));
  }
}
