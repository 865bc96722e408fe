import type { KubernetesObject } from '@kubernetes/client-node';

/** The cache key of an object: `namespace/name`, or `name` for cluster-scoped objects. */
export function cacheKey(object: KubernetesObject): string {
  const namespace = object.metadata?.namespace;
  const name = object.metadata?.name ?? '';
  return namespace ? `${namespace}/${name}` : name;
}

/** The key for a namespace and name. */
export function cacheKeyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}
