import type { KubernetesObject } from '@kubernetes/client-node';
import { cacheIsBehind } from '../logic/resource-versions.ts';

/** Past this, a write whose event never showed up (e.g. a relist skipped it) stops holding syncs back. */
const MAX_WAIT_MS = 5_000;

/**
 * The resourceVersions our own writes returned, by UID, until the cache shows them. A sync that
 * read a cache older than its previous sync's writes would plan from sizes it already changed
 * (and then fail on a conflict, taking a different next step than upstream); it should wait for
 * the watch event instead, which requeues it anyway.
 */
export class WrittenVersions {
  private readonly written = new Map<string, { readonly version: string; readonly at: number }>();

  record(object: KubernetesObject, now: number): void {
    const uid = object.metadata?.uid;
    const version = object.metadata?.resourceVersion;
    if (uid && version) this.written.set(uid, { version, at: now });
  }

  forget(uid: string | undefined): void {
    if (uid) this.written.delete(uid);
  }

  /** Whether any of `cached` is older than our write to it; forgets writes the cache has caught up with. */
  anyBehind(cached: readonly KubernetesObject[], now: number): boolean {
    let behind = false;
    for (const object of cached) {
      const uid = object.metadata?.uid ?? '';
      const write = this.written.get(uid);
      if (!write) continue;
      if (now - write.at < MAX_WAIT_MS && cacheIsBehind(object.metadata?.resourceVersion, write.version))
        behind = true;
      else this.written.delete(uid);
    }
    return behind;
  }
}
