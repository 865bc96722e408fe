import type { KubernetesObject } from '@kubernetes/client-node';
import type { Observable } from 'rxjs';
import type { Logger } from 'pino';
import type { Client } from '../client/client.ts';
import type { ResourceKind } from '../client/resource-kind.ts';
import type { InformerCache, InformerScope } from '../informer/informer-cache.ts';
import type { RateLimiter } from '../queue/rate-limiter.ts';
import { Controller } from './controller.ts';
import {
  mapToControllerOwner,
  mapToSelf,
  requestsFrom,
  type EventMapper,
  type QueuedRequest,
} from './event-source.ts';
import type { KindRole, KindUse } from '../rbac/policy-rules.ts';
import type { Predicate } from './predicates.ts';
import type { Reconciler } from './reconcile.ts';

/** What a builder needs from its manager. */
export interface ControllerHost {
  readonly client: Client;
  readonly cache: InformerCache;
  readonly logger: Logger;
  addController(controller: Controller, uses: readonly KindUse[]): void;
}

interface WatchOptions<T extends KubernetesObject> {
  readonly predicates?: readonly Predicate<T>[];
  readonly scope?: InformerScope;
}

/**
 * The friendly way to assemble a controller:
 *
 * @example
 * manager.controller('widgets')
 *   .for(widgetKind, { predicates: [generationChanged] })
 *   .owns(kinds.ConfigMap)
 *   .concurrency(4)
 *   .complete(async (request, { client, logger }) => { ... });
 */
export class ControllerBuilder {
  private readonly host: ControllerHost;
  private readonly name: string;
  private forKind: ResourceKind | undefined;
  private readonly sources: (() => Observable<QueuedRequest>)[] = [];
  private readonly watched: KindUse[] = [];
  private workers = 1;
  private limiter: RateLimiter | undefined;

  constructor(host: ControllerHost, name: string) {
    this.host = host;
    this.name = name;
  }

  /** The kind this controller reconciles; its events enqueue the object itself. */
  for<K extends KubernetesObject>(kind: ResourceKind<K>, options: WatchOptions<K> = {}): this {
    if (this.forKind) throw new Error(`controller ${this.name}: for() was already called`);
    this.forKind = kind;
    this.add(kind, 'for', mapToSelf, options);
    return this;
  }

  /** Objects this controller creates and controls; their events enqueue their controller owner. */
  owns<K extends KubernetesObject>(kind: ResourceKind<K>, options: WatchOptions<K> = {}): this {
    const owner = this.forKind;
    if (!owner) throw new Error(`controller ${this.name}: call for() before owns()`);
    this.add(kind, 'owns', mapToControllerOwner(owner), options);
    return this;
  }

  /** Any other kind, with a mapper from its events to requests for this controller. */
  watches<K extends KubernetesObject>(
    kind: ResourceKind<K>,
    mapper: EventMapper<K>,
    options: WatchOptions<K> = {},
  ): this {
    this.add(kind, 'watches', mapper, options);
    return this;
  }

  /** Workers reconciling different objects at once; default 1. */
  concurrency(workers: number): this {
    if (!Number.isInteger(workers) || workers < 1)
      throw new RangeError(`controller ${this.name}: concurrency must be a whole number ≥ 1`);
    this.workers = workers;
    return this;
  }

  /** Overrides the per-key retry backoff (default 5 ms → 1000 s under 10 qps / burst 100). */
  rateLimiter(limiter: RateLimiter): this {
    this.limiter = limiter;
    return this;
  }

  /** Builds the controller and registers it with the manager, which starts it. */
  complete(reconciler: Reconciler): Controller {
    if (!this.forKind) throw new Error(`controller ${this.name}: for() is required`);
    const controller = new Controller({
      name: this.name,
      reconciler,
      sources: this.sources.map((source) => source()),
      client: this.host.client,
      logger: this.host.logger,
      concurrency: this.workers,
      ...(this.limiter ? { rateLimiter: this.limiter } : {}),
    });
    this.host.addController(controller, this.watched);
    return controller;
  }

  private add<K extends KubernetesObject>(
    kind: ResourceKind<K>,
    role: KindRole,
    mapper: EventMapper<K>,
    options: WatchOptions<K>,
  ): void {
    const informer = this.host.cache.informer(kind, options.scope);
    this.sources.push(() => requestsFrom(informer, mapper, options.predicates ?? []));
    this.watched.push({ kind, role });
  }
}
