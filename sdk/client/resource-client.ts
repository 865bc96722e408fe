import type { KubernetesObject } from '@kubernetes/client-node';
import { defer, switchMap, type Observable } from 'rxjs';
import { GoneError } from './errors.ts';
import { apiVersionOf, describeKind, type ResourceKind } from './resource-kind.ts';
import type { ResourceInfo, ResourceMapper } from './resource-mapper.ts';
import type { HttpRequest, Transport } from './transport.ts';
import { watchStream, type WatchEvent } from './watch-stream.ts';

/** Names one object: `namespace` is required for namespaced kinds and ignored for cluster-scoped. */
export interface ObjectKey {
  readonly namespace?: string | undefined;
  readonly name: string;
}

/** Selects a collection. `namespace` omitted = all namespaces (or cluster-scoped). */
export interface ListOptions {
  readonly namespace?: string | undefined;
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  /** Page size; `listAll` pages through everything. */
  readonly limit?: number | undefined;
  readonly continue?: string | undefined;
  readonly resourceVersion?: string | undefined;
  readonly resourceVersionMatch?: 'Exact' | 'NotOlderThan' | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** A page of a list. `resourceVersion` is opaque: compare for equality only. */
export interface ListResult<T> {
  readonly items: T[];
  readonly resourceVersion: string;
  readonly continue?: string | undefined;
}

export interface WatchOptions extends Omit<ListOptions, 'limit' | 'continue'> {
  readonly allowWatchBookmarks?: boolean;
  /** Server-side duration of the watch; the server ends the stream after it. */
  readonly timeoutSeconds?: number;
  /** Streaming list: the server first sends the current state as ADDED events, then a bookmark. */
  readonly sendInitialEvents?: boolean;
  /** Silence after which the connection is declared dead; default timeoutSeconds + 60 s. */
  readonly idleMs?: number;
}

export interface WriteOptions {
  readonly dryRun?: boolean;
  /** Field manager recorded in managedFields; default `typerator`. */
  readonly fieldManager?: string;
  readonly signal?: AbortSignal;
}

/**
 * `apply`: server-side apply (`force` takes ownership of conflicting fields); `merge`: JSON merge
 * patch (RFC 7386); `json`: JSON patch (RFC 6902); `strategic`: strategic merge (built-in kinds).
 */
export type PatchType = 'apply' | 'merge' | 'json' | 'strategic';

export interface PatchOptions extends WriteOptions {
  readonly type: PatchType;
  /** Server-side apply only: take ownership of fields other managers own. */
  readonly force?: boolean;
}

export interface DeleteOptions {
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  readonly gracePeriodSeconds?: number;
  /** Delete only if the object still has this UID / resourceVersion. */
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
}

/** The autoscaling/v1 Scale subresource. */
export interface Scale {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: KubernetesObject['metadata'];
  readonly spec?: { replicas?: number };
  readonly status?: { replicas: number; selector?: string };
}

const CONTENT_TYPES: Record<PatchType, string> = {
  apply: 'application/apply-patch+yaml',
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/** The kind is served but not with this subresource (e.g. no /scale). */
export class MissingSubresourceError extends Error {
  override readonly name = 'MissingSubresourceError';
}

/**
 * Typed access to one kind of object: CRUD, patches (server-side apply, merge, JSON patch), the
 * status and scale subresources, paginated lists and watches. Obtained from `Client.resource(kind)`.
 */
export class ResourceClient<T extends KubernetesObject> {
  readonly kind: ResourceKind<T>;
  private readonly transport: Transport;
  private readonly mapper: ResourceMapper;

  constructor(transport: Transport, mapper: ResourceMapper, kind: ResourceKind<T>) {
    this.transport = transport;
    this.mapper = mapper;
    this.kind = kind;
  }

  /** Whether the kind is namespaced, from discovery. */
  async isNamespaced(): Promise<boolean> {
    return (await this.mapper.resolve(this.kind)).namespaced;
  }

  async get(key: ObjectKey, options: { signal?: AbortSignal } = {}): Promise<T> {
    return this.call<T>({ method: 'GET', path: await this.objectPath(key), ...signalOf(options) });
  }

  /** One page (or, without `limit`, the whole collection in one response). */
  async list(options: ListOptions = {}): Promise<ListResult<T>> {
    const list = (await this.transport.requestList({
      method: 'GET',
      path: await this.collectionPath(options.namespace),
      query: {
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        limit: options.limit,
        continue: options.continue,
        resourceVersion: options.resourceVersion,
        resourceVersionMatch: options.resourceVersionMatch,
      },
      ...signalOf(options),
    })) as { items?: T[]; metadata?: { resourceVersion?: string; continue?: string } };
    // Items in a list carry no apiVersion/kind; restore them (in place: lists can be large) so
    // objects look the same everywhere.
    const apiVersion = apiVersionOf(this.kind);
    const items = list.items ?? [];
    for (const item of items) {
      item.apiVersion ??= apiVersion;
      item.kind ??= this.kind.kind;
    }
    return {
      items,
      resourceVersion: list.metadata?.resourceVersion ?? '',
      continue: list.metadata?.continue || undefined,
    };
  }

  /**
   * Every object, paging `pageSize` at a time. If a continue token expires mid-way (410), it starts
   * over once with a single unpaginated list, as client-go does.
   */
  async listAll(options: Omit<ListOptions, 'continue'> & { pageSize?: number } = {}): Promise<ListResult<T>> {
    const items: T[] = [];
    let token: string | undefined;
    try {
      for (;;) {
        // Later pages are pinned by the continue token; the server refuses a resourceVersion beside it.
        const pinned = token ? { resourceVersion: undefined, resourceVersionMatch: undefined } : {};
        const page = await this.list({
          ...options,
          ...pinned,
          limit: options.pageSize ?? 500,
          continue: token,
        });
        for (const item of page.items) items.push(item);
        token = page.continue;
        if (!token) return { items, resourceVersion: page.resourceVersion };
      }
    } catch (error) {
      if (!(error instanceof GoneError) || token === undefined) throw error;
      return this.list({ ...options, limit: undefined, continue: undefined });
    }
  }

  async create(object: T, options: WriteOptions = {}): Promise<T> {
    return this.call<T>({
      method: 'POST',
      path: await this.collectionPath(object.metadata?.namespace),
      query: writeQuery(options),
      body: this.withTypeMeta(object),
      ...signalOf(options),
    });
  }

  /** Replaces the object (PUT). Its `metadata.resourceVersion` makes this a compare-and-swap. */
  async update(object: T, options: WriteOptions = {}): Promise<T> {
    return this.call<T>({
      method: 'PUT',
      path: await this.objectPath(keyOf(object)),
      query: writeQuery(options),
      body: this.withTypeMeta(object),
      ...signalOf(options),
    });
  }

  async patch(key: ObjectKey, patch: unknown, options: PatchOptions): Promise<T> {
    return this.patchAt(await this.objectPath(key), patch, options);
  }

  /** Server-side apply of a (partial) object under `fieldManager`. */
  async apply(object: T, options: WriteOptions & { force?: boolean } = {}): Promise<T> {
    return this.patch(keyOf(object), this.withTypeMeta(object), { ...options, type: 'apply' });
  }

  async delete(key: ObjectKey, options: DeleteOptions = {}): Promise<void> {
    await this.call({
      method: 'DELETE',
      path: await this.objectPath(key),
      query: { dryRun: options.dryRun ? 'All' : undefined },
      body: {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        ...(options.propagationPolicy ? { propagationPolicy: options.propagationPolicy } : {}),
        ...(options.gracePeriodSeconds !== undefined
          ? { gracePeriodSeconds: options.gracePeriodSeconds }
          : {}),
        ...(options.preconditions ? { preconditions: options.preconditions } : {}),
      },
      ...signalOf(options),
    });
  }

  async getStatus(key: ObjectKey): Promise<T> {
    return this.call<T>({ method: 'GET', path: await this.subresourcePath(key, 'status') });
  }

  /** Replaces the status subresource; the rest of the object is ignored by the server. */
  async updateStatus(object: T, options: WriteOptions = {}): Promise<T> {
    return this.call<T>({
      method: 'PUT',
      path: await this.subresourcePath(keyOf(object), 'status'),
      query: writeQuery(options),
      body: this.withTypeMeta(object),
      ...signalOf(options),
    });
  }

  async patchStatus(key: ObjectKey, patch: unknown, options: PatchOptions): Promise<T> {
    return this.patchAt(await this.subresourcePath(key, 'status'), patch, options);
  }

  async getScale(key: ObjectKey): Promise<Scale> {
    return this.call<Scale>({ method: 'GET', path: await this.subresourcePath(key, 'scale') });
  }

  /** Sets `spec.replicas` through the scale subresource. */
  async scale(key: ObjectKey, replicas: number, options: WriteOptions = {}): Promise<Scale> {
    return this.call<Scale>({
      method: 'PATCH',
      path: await this.subresourcePath(key, 'scale'),
      query: writeQuery(options),
      body: { spec: { replicas } },
      contentType: CONTENT_TYPES.merge,
      ...signalOf(options),
    });
  }

  /**
   * A watch as a cold Observable: each subscription opens the request and emits its events in order;
   * it completes when the server ends the stream (at `timeoutSeconds`) and errors with a typed error
   * on an ERROR event (410 Gone → GoneError), a broken connection, or `idleMs` of silence
   * (default `timeoutSeconds` + 60 s). Unsubscribing closes the connection.
   */
  watch(options: WatchOptions = {}): Observable<WatchEvent<T>> {
    const timeoutSeconds = options.timeoutSeconds;
    const idleMs = options.idleMs ?? ((timeoutSeconds ?? 1800) + 60) * 1000;
    // Discovery is async, so the path is resolved when someone subscribes.
    return defer(() => this.collectionPath(options.namespace)).pipe(
      switchMap((path) =>
        watchStream<T>(
          this.transport,
          {
            method: 'GET',
            path,
            query: {
              watch: 'true',
              labelSelector: options.labelSelector,
              fieldSelector: options.fieldSelector,
              resourceVersion: options.resourceVersion,
              resourceVersionMatch: options.resourceVersionMatch,
              allowWatchBookmarks: options.allowWatchBookmarks ? 'true' : undefined,
              timeoutSeconds,
              sendInitialEvents:
                options.sendInitialEvents === undefined ? undefined : String(options.sendInitialEvents),
            },
            ...signalOf(options),
          },
          idleMs,
        ),
      ),
    );
  }

  private async patchAt(path: string, patch: unknown, options: PatchOptions): Promise<T> {
    const fieldManager = options.fieldManager ?? (options.type === 'apply' ? 'typerator' : undefined);
    return this.call<T>({
      method: 'PATCH',
      path,
      query: {
        ...writeQuery({ ...options, ...(fieldManager ? { fieldManager } : {}) }),
        force: options.type === 'apply' && options.force ? 'true' : undefined,
      },
      body: patch,
      contentType: CONTENT_TYPES[options.type],
      ...signalOf(options),
    });
  }

  private call<R>(request: HttpRequest): Promise<R> {
    return this.transport.request<R>(request);
  }

  private withTypeMeta(object: T): T {
    return { ...object, apiVersion: apiVersionOf(this.kind), kind: this.kind.kind };
  }

  private async info(): Promise<ResourceInfo> {
    return this.mapper.resolve(this.kind);
  }

  private async collectionPath(namespace: string | undefined): Promise<string> {
    const info = await this.info();
    return info.namespaced && namespace
      ? `${info.basePath}/namespaces/${encodeURIComponent(namespace)}/${info.plural}`
      : `${info.basePath}/${info.plural}`;
  }

  private async objectPath(key: ObjectKey): Promise<string> {
    const info = await this.info();
    if (!key.name) throw new TypeError(`${describeKind(this.kind)}: an object name is required`);
    if (info.namespaced && !key.namespace) {
      throw new TypeError(
        `${describeKind(this.kind)} ${key.name}: the kind is namespaced, so a namespace is required`,
      );
    }
    return `${await this.collectionPath(key.namespace)}/${encodeURIComponent(key.name)}`;
  }

  private async subresourcePath(key: ObjectKey, subresource: string): Promise<string> {
    const info = await this.info();
    if (!info.subresources.has(subresource)) {
      throw new MissingSubresourceError(`${describeKind(this.kind)} has no ${subresource} subresource`);
    }
    return `${await this.objectPath(key)}/${subresource}`;
  }
}

/** The key of an object from its metadata. */
export function keyOf(object: KubernetesObject): ObjectKey {
  return { namespace: object.metadata?.namespace, name: object.metadata?.name ?? '' };
}

function writeQuery(options: WriteOptions): Record<string, string | undefined> {
  return { dryRun: options.dryRun ? 'All' : undefined, fieldManager: options.fieldManager };
}

function signalOf(options: { signal?: AbortSignal | undefined }): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {};
}
