import type { KubernetesObject, V1LabelSelector } from '@kubernetes/client-node';
import { isNotFound } from '../../../sdk/client/errors.ts';
import type { ResourceClient } from '../../../sdk/client/resource-client.ts';
import {
  claimDecision,
  ownerReferencesAfterAdoption,
  ownerReferencesAfterRelease,
} from '../logic/adoption.ts';
import { labelSelectorMatcher } from '../logic/label-selector.ts';

/** The owner claiming children, as a controller sees it in its cache. */
export interface ClaimOwner extends KubernetesObject {
  readonly spec: { readonly selector: V1LabelSelector };
}

/**
 * The ControllerRef claim (spec §1): of all `candidates` in the owner's namespace, keeps those it
 * controls and still selects, releases those it controls but no longer selects, and adopts
 * matching orphans, after checking once with a live read (`ownerIsCurrent`) that the cached owner
 * is not a stale copy of a deleted object. Writes are merge patches guarded by the child's UID.
 * `alsoMatches` narrows the selector (a StatefulSet also requires its pods' names to be its own).
 * Returns the claimed children.
 */
export async function claimChildren<C extends KubernetesObject>(
  owner: ClaimOwner,
  candidates: readonly C[],
  children: ResourceClient<C>,
  ownerIsCurrent: () => Promise<boolean>,
  alsoMatches: (child: C) => boolean = () => true,
): Promise<C[]> {
  const uid = owner.metadata?.uid ?? '';
  const namespace = owner.metadata?.namespace;
  const matches = labelSelectorMatcher(owner.spec.selector);
  const claimant = {
    uid,
    ...(namespace ? { namespace } : {}),
    beingDeleted: owner.metadata?.deletionTimestamp !== undefined,
  };
  const controllerRef = {
    apiVersion: owner.apiVersion ?? '',
    kind: owner.kind ?? '',
    name: owner.metadata?.name ?? '',
    uid,
    controller: true,
    blockOwnerDeletion: true,
  };
  const claimed: C[] = [];
  let ownerVerified: boolean | undefined;
  const patchReferences = (child: C, ownerReferences: unknown) =>
    children
      .patch(
        { namespace: child.metadata?.namespace, name: child.metadata?.name ?? '' },
        { metadata: { ownerReferences, uid: child.metadata?.uid } },
        { type: 'merge' },
      )
      .catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error as Error)));
  for (const child of candidates) {
    switch (claimDecision(claimant, child, matches(child.metadata?.labels) && alsoMatches(child))) {
      case 'keep':
        claimed.push(child);
        break;
      case 'release':
        await patchReferences(child, ownerReferencesAfterRelease(child.metadata?.ownerReferences, uid));
        break;
      case 'adopt': {
        ownerVerified ??= await ownerIsCurrent();
        if (!ownerVerified) return claimed;
        const adopted = await patchReferences(
          child,
          ownerReferencesAfterAdoption(child.metadata?.ownerReferences, controllerRef),
        );
        if (adopted) claimed.push(adopted);
        break;
      }
      case 'ignore':
        break;
    }
  }
  return claimed;
}

/** A live read of the owner: false if it is gone, replaced (new UID) or being deleted. */
export async function isOwnerCurrent<O extends KubernetesObject>(
  owners: ResourceClient<O>,
  owner: O,
): Promise<boolean> {
  const live = await owners
    .get({ namespace: owner.metadata?.namespace, name: owner.metadata?.name ?? '' })
    .catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error as Error)));
  return live?.metadata?.uid === owner.metadata?.uid && live?.metadata?.deletionTimestamp === undefined;
}
