import type { KubernetesObject, V1OwnerReference } from '@kubernetes/client-node';

/** The object already has a controller owner other than the one being set. */
export class AlreadyOwnedError extends Error {
  override readonly name = 'AlreadyOwnedError';
}

/** A controller reference (controller: true, blockOwnerDeletion: true) pointing at `owner`. */
export function controllerReference(owner: KubernetesObject): V1OwnerReference {
  const { apiVersion, kind } = owner;
  const { name, uid } = owner.metadata ?? {};
  if (!apiVersion || !kind || !name || !uid) {
    throw new TypeError(
      'an owner needs apiVersion, kind, metadata.name and metadata.uid (read it from the apiserver first)',
    );
  }
  return { apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true };
}

/** The object's controller reference, if any. */
export function controllerOf(object: KubernetesObject): V1OwnerReference | undefined {
  return object.metadata?.ownerReferences?.find((ref) => ref.controller);
}

/**
 * Returns a copy of `object` controlled by `owner`. An existing reference to the same owner UID is
 * replaced; other non-controller references are kept; another controller is an error.
 */
export function withControllerReference<T extends KubernetesObject>(object: T, owner: KubernetesObject): T {
  const reference = controllerReference(owner);
  const existing = controllerOf(object);
  if (existing && existing.uid !== reference.uid) {
    throw new AlreadyOwnedError(
      `${object.kind ?? 'object'} ${object.metadata?.name ?? ''} is already controlled by ${existing.kind} ${existing.name}`,
    );
  }
  const others = (object.metadata?.ownerReferences ?? []).filter((ref) => ref.uid !== reference.uid);
  return { ...object, metadata: { ...object.metadata, ownerReferences: [...others, reference] } };
}
