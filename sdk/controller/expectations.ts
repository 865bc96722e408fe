import { systemClock, type Clock } from '../clock/clock.ts';

interface Pending {
  creations: number;
  readonly deletions: Set<string>;
  readonly since: number;
}

/**
 * Creations and deletions a controller has made but not yet seen in its cache. While any are
 * outstanding for a key, the cache is known to be behind, so the controller must not act on its
 * counts (or it would create a second batch of pods). Entries expire after `ttlMs` (default 5 min,
 * like upstream), so a lost watch event cannot block a key forever.
 */
export class Expectations {
  private readonly pending = new Map<string, Pending>();
  private readonly clock: Clock;
  private readonly ttlMs: number;

  constructor(options: { clock?: Clock; ttlMs?: number } = {}) {
    this.clock = options.clock ?? systemClock;
    this.ttlMs = options.ttlMs ?? 300_000;
  }

  /** True when the cache has caught up with everything expected for `key` (or it expired). */
  satisfied(key: string): boolean {
    const entry = this.pending.get(key);
    if (!entry) return true;
    if ((entry.creations <= 0 && entry.deletions.size === 0) || this.clock.now() - entry.since > this.ttlMs) {
      this.pending.delete(key);
      return true;
    }
    return false;
  }

  /** Records `count` creations about to be made for `key`. */
  expectCreations(key: string, count: number): void {
    this.entry(key).creations += count;
  }

  /** Records deletions about to be made for `key`, by the deleted objects' keys. */
  expectDeletions(key: string, objectKeys: readonly string[]): void {
    const entry = this.entry(key);
    for (const objectKey of objectKeys) entry.deletions.add(objectKey);
  }

  /** A creation for `key` was seen in the cache (or will never happen: the call failed). */
  creationObserved(key: string, count = 1): void {
    const entry = this.pending.get(key);
    if (entry) entry.creations -= count;
  }

  /** A deletion for `key` was seen in the cache (or will never happen). */
  deletionObserved(key: string, objectKey: string): void {
    this.pending.get(key)?.deletions.delete(objectKey);
  }

  /** Forgets `key` (its owner is gone). */
  delete(key: string): void {
    this.pending.delete(key);
  }

  private entry(key: string): Pending {
    let entry = this.pending.get(key);
    if (!entry || this.satisfied(key)) {
      entry = { creations: 0, deletions: new Set(), since: this.clock.now() };
      this.pending.set(key, entry);
    }
    return entry;
  }
}
