import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceClient } from '../client/resource-client.ts';
import { keyOf } from '../client/resource-client.ts';

/** Whether the object carries `finalizer`. */
export function hasFinalizer(object: KubernetesObject, finalizer: string): boolean {
  return object.metadata?.finalizers?.includes(finalizer) ?? false;
}

/**
 * Adds `finalizer` if missing. The patch is guarded by the object's resourceVersion, so a
 * concurrent change fails with a Conflict (retried by the controller) instead of being overwritten.
 * Returns the updated object (or the same one if nothing was needed).
 */
export async function addFinalizer<T extends KubernetesObject>(
  client: ResourceClient<T>,
  object: T,
  finalizer: string,
): Promise<T> {
  if (hasFinalizer(object, finalizer)) return object;
  const finalizers = [...(object.metadata?.finalizers ?? []), finalizer];
  return client.patch(
    keyOf(object),
    { metadata: { finalizers, resourceVersion: object.metadata?.resourceVersion } },
    { type: 'merge' },
  );
}

/** Removes `finalizer` if present (guarded by resourceVersion like {@link addFinalizer}). */
export async function removeFinalizer<T extends KubernetesObject>(
  client: ResourceClient<T>,
  object: T,
  finalizer: string,
): Promise<T> {
  if (!hasFinalizer(object, finalizer)) return object;
  const finalizers = (object.metadata?.finalizers ?? []).filter((f) => f !== finalizer);
  return client.patch(
    keyOf(object),
    { metadata: { finalizers, resourceVersion: object.metadata?.resourceVersion } },
    { type: 'merge' },
  );
}

/** True when the object is being deleted (a deletionTimestamp is set). */
export const isBeingDeleted = (object: KubernetesObject): boolean =>
  object.metadata?.deletionTimestamp !== undefined;
