import type { KubernetesObject, V1OwnerReference } from '@kubernetes/client-node';

/**
 * What a controller does with one listed object (upstream ClaimObject):
 * - `ignore`: another controller's, or not ours to take;
 * - `keep`: ours and still selected (claimed);
 * - `release`: ours but no longer selected: remove our ownerReference;
 * - `adopt`: an orphan we select: add our controller reference (claimed once that succeeds).
 */
export type ClaimDecision = 'ignore' | 'keep' | 'release' | 'adopt';

/** The owner side of a claim. */
export interface ClaimingOwner {
  readonly uid: string;
  /** Omit for cluster-scoped owners. */
  readonly namespace?: string;
  /** The owner has a deletionTimestamp: it neither adopts nor releases. */
  readonly beingDeleted: boolean;
}

/**
 * Decides the claim for `object`, given whether it matches the owner's selector (plus any extra
 * filter the caller applies). An owner being deleted still keeps what it owns and matches, since
 * that needs no write. Orphans being deleted, or in another namespace, are never adopted.
 */
export function claimDecision(
  owner: ClaimingOwner,
  object: KubernetesObject,
  matches: boolean,
): ClaimDecision {
  const controllerRef = object.metadata?.ownerReferences?.find((ref) => ref.controller === true);
  if (controllerRef !== undefined) {
    if (controllerRef.uid !== owner.uid) return 'ignore';
    if (matches) return 'keep';
    return owner.beingDeleted ? 'ignore' : 'release';
  }
  if (owner.beingDeleted || !matches) return 'ignore';
  if (object.metadata?.deletionTimestamp !== undefined) return 'ignore';
  if (owner.namespace !== undefined && owner.namespace !== object.metadata?.namespace) return 'ignore';
  return 'adopt';
}

/**
 * The ownerReferences after adopting: any reference with the owner's UID is replaced by
 * `controllerRef` (so our own non-controller reference becomes the controller one); references to
 * other owners are kept.
 */
export function ownerReferencesAfterAdoption(
  references: readonly V1OwnerReference[] | undefined,
  controllerRef: V1OwnerReference,
): V1OwnerReference[] {
  return [...(references ?? []).filter((ref) => ref.uid !== controllerRef.uid), controllerRef];
}

/** The ownerReferences after releasing: every reference with the owner's UID removed. */
export function ownerReferencesAfterRelease(
  references: readonly V1OwnerReference[] | undefined,
  ownerUid: string,
): V1OwnerReference[] {
  return (references ?? []).filter((ref) => ref.uid !== ownerUid);
}
