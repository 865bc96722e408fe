/**
 * Whether a cached copy (resourceVersion `cached`) predates our own write that returned `written`.
 * Kubernetes calls resourceVersions opaque, but etcd-backed ones are increasing integers; when
 * either is not one, only equality is known, and a different version counts as caught up (never
 * block on what cannot be compared).
 */
export function cacheIsBehind(cached: string | undefined, written: string): boolean {
  if (cached === written) return false;
  if (cached === undefined || !/^\d+$/.test(cached) || !/^\d+$/.test(written)) return false;
  return BigInt(cached) < BigInt(written);
}
