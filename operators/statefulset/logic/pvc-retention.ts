import type { V1OwnerReference, V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import type { StatefulSet } from '../api/types.ts';
import { claimName, claimsForOrdinal, ordinalOf, podInOrdinalRange, STATEFUL_SET_KIND } from './identity.ts';
import { retentionPolicy } from './statefulset-spec.ts';

// persistentVolumeClaimRetentionPolicy works only through owner references; the garbage
// collector deletes the claims. For a claim of an in-range pod:
//   whenScaled/whenDeleted  Retain/Retain: no set or pod ref      Retain/Delete: set controls it
//                           Delete/Retain: no set or pod ref      Delete/Delete: set controls it
// For a claim of a condemned pod (ordinal out of range), whenScaled Delete makes the pod its
// controller instead (and removes the set's ref), so deleting the pod deletes the claim.
// Claims with a stale ref to us (same name, other UID) are left alone; claims another controller
// owns lose our refs and the policy is ignored for them.

/** Who a reference may point at: our StatefulSet or one of its pods. */
export interface OwnerIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** '' for a pod that is not created yet. */
  readonly uid: string;
}

/** Existing claims by name (the namespace's claims, as the cache has them). */
export type ClaimsByName = ReadonlyMap<string, V1PersistentVolumeClaim>;

/** The set as an owner. */
export function setOwner(set: StatefulSet): OwnerIdentity {
  return {
    apiVersion: set.apiVersion,
    kind: STATEFUL_SET_KIND,
    name: set.metadata?.name ?? '',
    uid: set.metadata?.uid ?? '',
  };
}

/** The pod as an owner (uid '' when it has none yet). */
export function podOwner(pod: V1Pod): OwnerIdentity {
  return { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' };
}

const refsOf = (claim: V1PersistentVolumeClaim): readonly V1OwnerReference[] =>
  claim.metadata?.ownerReferences ?? [];

/** The reference names the owner by apiVersion, kind and name (whatever its UID). */
export function matchesRef(ref: V1OwnerReference, owner: OwnerIdentity): boolean {
  return ref.apiVersion === owner.apiVersion && ref.kind === owner.kind && ref.name === owner.name;
}

/** Some reference carries the owner's UID (controller or not). */
export function hasOwnerRef(claim: V1PersistentVolumeClaim, owner: OwnerIdentity): boolean {
  return refsOf(claim).some((ref) => ref.uid === owner.uid);
}

/**
 * The first reference naming the owner carries another UID: the claim belonged to an earlier
 * object of that name (e.g. a pod or set deleted with orphaning).
 */
export function hasStaleOwnerRef(claim: V1PersistentVolumeClaim, owner: OwnerIdentity): boolean {
  const ref = refsOf(claim).find((r) => matchesRef(r, owner));
  return ref !== undefined && ref.uid !== owner.uid;
}

/**
 * With a non-Retain policy: a controller other than the set and pod controls the claim, or a
 * reference names the set or pod with a stale UID. Always false under Retain/Retain.
 */
export function hasUnexpectedController(
  claim: V1PersistentVolumeClaim,
  set: OwnerIdentity,
  pod: OwnerIdentity,
  policy: { readonly whenDeleted: string; readonly whenScaled: string },
): boolean {
  if (policy.whenDeleted === 'Retain' && policy.whenScaled === 'Retain') return false;
  return refsOf(claim).some((ref) => {
    if (matchesRef(ref, set)) return ref.uid !== set.uid;
    if (matchesRef(ref, pod)) return ref.uid !== pod.uid;
    return ref.controller === true;
  });
}

/** The set or pod (by UID) owns the claim without being its controller. */
export function hasNonControllerOwner(
  claim: V1PersistentVolumeClaim,
  set: OwnerIdentity,
  pod: OwnerIdentity,
): boolean {
  return refsOf(claim).some((ref) => (ref.uid === set.uid || ref.uid === pod.uid) && ref.controller !== true);
}

/** Which of set and pod must control a claim of this pod under the set's policy. */
export function wantedClaimOwners(set: StatefulSet, pod: V1Pod): { set: boolean; pod: boolean } {
  const policy = retentionPolicy(set);
  const condemned = !podInOrdinalRange(set, pod);
  const deleteOnScale = policy.whenScaled === 'Delete';
  return {
    set: policy.whenDeleted === 'Delete' && !(deleteOnScale && condemned),
    pod: deleteOnScale && condemned,
  };
}

/**
 * The claim's references already agree with the policy. Also true for claims that must not be
 * touched: a stale reference to the set or pod, or another controller with none of our references
 * left. False when our references must go (another controller) or must become controllers.
 */
export function isClaimOwnerUpToDate(set: StatefulSet, pod: V1Pod, claim: V1PersistentVolumeClaim): boolean {
  const setId = setOwner(set);
  const podId = podOwner(pod);
  if (hasStaleOwnerRef(claim, setId) || hasStaleOwnerRef(claim, podId)) return true;
  if (hasUnexpectedController(claim, setId, podId, retentionPolicy(set))) {
    return !hasOwnerRef(claim, setId) && !hasOwnerRef(claim, podId);
  }
  if (hasNonControllerOwner(claim, setId, podId)) return false;
  const wanted = wantedClaimOwners(set, pod);
  return hasOwnerRef(claim, setId) === wanted.set && hasOwnerRef(claim, podId) === wanted.pod;
}

const controllerRef = (owner: OwnerIdentity): V1OwnerReference => ({
  apiVersion: owner.apiVersion,
  kind: owner.kind,
  name: owner.name,
  uid: owner.uid,
  controller: true,
  blockOwnerDeletion: true,
});

/**
 * The claim's references as the policy wants them: every reference naming the set or pod is
 * removed; then, unless another controller owns the claim, the wanted owners are added back as
 * controllers (a reference with that UID that survived is kept as it is). Other owners are kept.
 */
export function claimOwnerReferences(
  set: StatefulSet,
  pod: V1Pod,
  claim: V1PersistentVolumeClaim,
): V1OwnerReference[] {
  const setId = setOwner(set);
  const podId = podOwner(pod);
  const unexpected = hasUnexpectedController(claim, setId, podId, retentionPolicy(set));
  const refs = refsOf(claim).filter((ref) => !matchesRef(ref, setId) && !matchesRef(ref, podId));
  if (unexpected) return refs;
  const wanted = wantedClaimOwners(set, pod);
  const add = (owner: OwnerIdentity) => {
    if (!refs.some((ref) => ref.uid === owner.uid)) refs.push(controllerRef(owner));
  };
  if (wanted.pod) add(podId);
  if (wanted.set) add(setId);
  return refs;
}

/** The existing claims of the pod (by its ordinal), in volumeClaimTemplate order. */
export function existingClaimsOf(
  set: StatefulSet,
  pod: V1Pod,
  claims: ClaimsByName,
): V1PersistentVolumeClaim[] {
  const ordinal = ordinalOf(pod);
  if (ordinal === undefined) return [];
  return (set.spec.volumeClaimTemplates ?? []).flatMap((template) => {
    const claim = claims.get(claimName(set, template.metadata?.name ?? '', ordinal));
    return claim === undefined ? [] : [claim];
  });
}

/** Every existing claim of the pod agrees with the policy (missing claims are fixed later). */
export function claimsMatchRetentionPolicy(set: StatefulSet, pod: V1Pod, claims: ClaimsByName): boolean {
  return existingClaimsOf(set, pod, claims).every((claim) => isClaimOwnerUpToDate(set, pod, claim));
}

/** The claim writes that bring a pod's claims in line with the policy. */
export interface RetentionUpdate {
  /** Copies of the claims to update, with their new ownerReferences. */
  readonly claims: readonly V1PersistentVolumeClaim[];
  /** Claims another controller owns: a Warning ConflictingController event each. */
  readonly conflicting: readonly string[];
}

/** The updates for the pod's existing claims whose references disagree with the policy. */
export function retentionUpdates(set: StatefulSet, pod: V1Pod, claims: ClaimsByName): RetentionUpdate {
  const setId = setOwner(set);
  const podId = podOwner(pod);
  const policy = retentionPolicy(set);
  const updates: V1PersistentVolumeClaim[] = [];
  const conflicting: string[] = [];
  for (const claim of existingClaimsOf(set, pod, claims)) {
    if (hasUnexpectedController(claim, setId, podId, policy)) conflicting.push(claim.metadata?.name ?? '');
    if (isClaimOwnerUpToDate(set, pod, claim)) continue;
    updates.push({
      ...claim,
      metadata: { ...claim.metadata, ownerReferences: claimOwnerReferences(set, pod, claim) },
    });
  }
  return { claims: updates, conflicting };
}

/** The Warning event message for a claim another controller owns (upstream's wording and spelling). */
export function conflictingControllerMessage(claim: string): string {
  return `PersistentVolumeClaim ${claim} has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim`;
}

/**
 * With whenScaled Delete, a claim of the pod about to be created (no UID yet) that still names a
 * pod of that name belongs to the previous pod and is waiting for the garbage collector: the
 * create must wait, or the new pod would mount a claim about to be deleted.
 */
export function hasStaleClaim(
  set: StatefulSet,
  ordinal: number,
  claims: ClaimsByName,
  podName: string,
): boolean {
  if (retentionPolicy(set).whenScaled === 'Retain') return false;
  const pod: OwnerIdentity = { apiVersion: 'v1', kind: 'Pod', name: podName, uid: '' };
  return claimsForOrdinal(set, ordinal).some((wanted) => {
    const existing = claims.get(wanted.metadata?.name ?? '');
    return existing !== undefined && hasStaleOwnerRef(existing, pod);
  });
}

/** A claim the pod needs is being deleted, so the pod cannot be created yet (retried with backoff). */
export class ClaimBeingDeletedError extends Error {
  override readonly name = 'ClaimBeingDeletedError';
  /** The claims with a deletionTimestamp. */
  readonly claims: readonly string[];

  constructor(claims: readonly string[]) {
    super(claims.map((claim) => `pvc ${claim} is being deleted`).join(', '));
    this.claims = claims;
  }
}

/**
 * The claims to create for the pod with this ordinal (those absent), and those that exist but are
 * being deleted (which block the pod: ClaimBeingDeletedError). An existing claim is never changed.
 */
export function missingClaims(
  set: StatefulSet,
  ordinal: number,
  claims: ClaimsByName,
): { create: V1PersistentVolumeClaim[]; beingDeleted: string[] } {
  const create: V1PersistentVolumeClaim[] = [];
  const beingDeleted: string[] = [];
  for (const wanted of claimsForOrdinal(set, ordinal)) {
    const name = wanted.metadata?.name ?? '';
    const existing = claims.get(name);
    if (existing === undefined) create.push(wanted);
    else if (existing.metadata?.deletionTimestamp !== undefined) beingDeleted.push(name);
  }
  return { create, beingDeleted };
}
