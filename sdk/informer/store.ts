import type { KubernetesObject } from '@kubernetes/client-node';
import { cacheKey, cacheKeyOf } from './object-key.ts';

/** Maps an object to the index values it is found under (none, one or many). */
export type IndexFunction<T> = (object: T) => readonly string[];

/** Index objects by namespace. */
export const byNamespace: IndexFunction<KubernetesObject> = (o) =>
  o.metadata?.namespace ? [o.metadata.namespace] : [];

/** Index objects by the UID of their controller owner (ownerReference with controller: true). */
export const byControllerUid: IndexFunction<KubernetesObject> = (o) => {
  const owner = o.metadata?.ownerReferences?.find((ref) => ref.controller);
  return owner ? [owner.uid] : [];
};

/** What `replace` changed, so the informer can emit events for it. */
export interface ReplaceResult<T> {
  readonly added: T[];
  readonly updated: { object: T; previous: T }[];
  readonly removed: T[];
}

/**
 * The informer's cache: objects by key, plus named indexes. The reflector is its only writer;
 * everyone else reads. Reads return the cached objects themselves: treat them as read-only.
 */
export class Store<T extends KubernetesObject> {
  private readonly objects = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunction<T>>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Readonly<Record<string, IndexFunction<T>>> = {}) {
    for (const [name, fn] of Object.entries(indexers)) this.addIndexer(name, fn);
  }

  /** Adds an index; existing objects are indexed at once. */
  addIndexer(name: string, fn: IndexFunction<T>): void {
    if (this.indexers.has(name)) throw new Error(`an index named "${name}" already exists`);
    this.indexers.set(name, fn);
    const index = new Map<string, Set<string>>();
    this.indexes.set(name, index);
    for (const [key, object] of this.objects) this.indexOne(index, fn, key, object);
  }

  get size(): number {
    return this.objects.size;
  }

  get(key: string): T | undefined {
    return this.objects.get(key);
  }

  getByName(namespace: string | undefined, name: string): T | undefined {
    return this.objects.get(cacheKeyOf(namespace, name));
  }

  list(): T[] {
    return [...this.objects.values()];
  }

  keys(): string[] {
    return [...this.objects.keys()];
  }

  /** Objects whose index `name` contains `value`. */
  byIndex(name: string, value: string): T[] {
    const index = this.indexes.get(name);
    if (!index)
      throw new Error(`no index named "${name}" (known: ${[...this.indexes.keys()].join(', ') || 'none'})`);
    const keys = index.get(value);
    if (!keys) return [];
    const result: T[] = [];
    for (const key of keys) {
      const object = this.objects.get(key);
      if (object) result.push(object);
    }
    return result;
  }

  /** Inserts or replaces an object; returns the previous one. */
  upsert(object: T): T | undefined {
    const key = cacheKey(object);
    const previous = this.objects.get(key);
    if (previous) this.unindex(key, previous);
    this.objects.set(key, object);
    this.index(key, object);
    return previous;
  }

  /** Removes an object by key; returns it if it was there. */
  remove(key: string): T | undefined {
    const previous = this.objects.get(key);
    if (!previous) return undefined;
    this.unindex(key, previous);
    this.objects.delete(key);
    return previous;
  }

  /** Makes the store hold exactly `objects` (a fresh list) and reports what changed. */
  replace(objects: Iterable<T>): ReplaceResult<T> {
    const result: ReplaceResult<T> = { added: [], updated: [], removed: [] };
    const seen = new Set<string>();
    for (const object of objects) {
      const key = cacheKey(object);
      seen.add(key);
      const previous = this.upsert(object);
      if (!previous) result.added.push(object);
      else if (previous.metadata?.resourceVersion !== object.metadata?.resourceVersion)
        result.updated.push({ object, previous });
    }
    for (const key of [...this.objects.keys()]) {
      if (seen.has(key)) continue;
      const removed = this.remove(key);
      if (removed) result.removed.push(removed);
    }
    return result;
  }

  private index(key: string, object: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indexes.get(name);
      if (index) this.indexOne(index, fn, key, object);
    }
  }

  private indexOne(index: Map<string, Set<string>>, fn: IndexFunction<T>, key: string, object: T): void {
    for (const value of fn(object)) {
      let keys = index.get(value);
      if (!keys) index.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  private unindex(key: string, object: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indexes.get(name);
      if (!index) continue;
      for (const value of fn(object)) {
        const keys = index.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(value);
      }
    }
  }
}
