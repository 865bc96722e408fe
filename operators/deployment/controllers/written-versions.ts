import type { KubernetesObject } from '@kubernetes/client-node';
import type { InformerEvent } from '../../../sdk/informer/informer-event.ts';

/** Past this, a write whose event never showed up (e.g. a relist skipped it) no longer stands in for the cache. */
const MAX_WAIT_MS = 5_000;
/** Versions remembered per object: enough to cover the events that arrive while a write's response is on its way. */
const RECENT_VERSIONS = 8;

/**
 * The objects our own writes returned, by UID, until the cache shows them. A sync that read a
 * cache older than its previous sync's writes would plan from sizes and a status it already
 * changed (and then fail on a conflict, taking a different next step than upstream); it plans from
 * {@link WrittenVersions.latest} instead. resourceVersions are opaque, so a write counts as seen
 * only when the informer delivers that exact version; the last few versions delivered are kept,
 * because a write's event (and newer ones) may arrive before its response.
 */
export class WrittenVersions<T extends KubernetesObject = KubernetesObject> {
  private readonly written = new Map<
    string,
    { readonly object: T; readonly version: string; readonly at: number }
  >();
  private readonly recent = new Map<string, string[]>();

  /** Remembers a write, unless the cache has already delivered its version. */
  record(object: T, now: number): void {
    const uid = object.metadata?.uid;
    const version = object.metadata?.resourceVersion;
    if (!uid || !version || this.recent.get(uid)?.includes(version)) return;
    this.written.set(uid, { object, version, at: now });
  }

  /**
   * The newest copy we know of `cached`: what our last write returned while the cache has not
   * shown it yet (within the wait limit), else `cached`. Writing on top of it avoids a conflict
   * with our own previous write.
   */
  latest<U extends T>(cached: U, now: number): U {
    const write = this.written.get(cached.metadata?.uid ?? '');
    // Same UID, so the same kind as `cached`.
    return write && now - write.at < MAX_WAIT_MS ? (write.object as U) : cached;
  }

  /** Called for every cached change: our write is in the cache once its exact version shows up. */
  observe(object: KubernetesObject): void {
    const uid = object.metadata?.uid ?? '';
    const version = object.metadata?.resourceVersion;
    if (!version) return;
    const versions = this.recent.get(uid) ?? [];
    versions.push(version);
    if (versions.length > RECENT_VERSIONS) versions.shift();
    this.recent.set(uid, versions);
    if (this.written.get(uid)?.version === version) this.written.delete(uid);
  }

  /** Follows an informer's event: a deletion forgets the object, any other change is observed. */
  track(event: InformerEvent<KubernetesObject>): void {
    if (event.type === 'deleted') this.forget(event.object.metadata?.uid);
    else this.observe(event.object);
  }

  /** Drops what is known about an object (deleted, or a write of ours conflicted). */
  forget(uid: string | undefined): void {
    if (!uid) return;
    this.written.delete(uid);
    this.recent.delete(uid);
  }

  /** Drops a pending write (it conflicted: the cache is the better guess now). */
  forgetWrite(uid: string | undefined): void {
    if (uid) this.written.delete(uid);
  }
}
