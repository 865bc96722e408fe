import type { KubernetesObject, V1LabelSelector } from '@kubernetes/client-node';
import { labelSelectorMatcher, selectsEverything } from './label-selector.ts';

/** An object that claims children by label selector. */
export interface SelectingOwner extends KubernetesObject {
  readonly spec: { readonly selector: V1LabelSelector };
}

/**
 * The owners to wake up for an event on `child` that has no controller (upstream
 * getDeploymentsForReplicaSet / getPodReplicaSets): those in its namespace whose selector matches its
 * labels, so one of them can adopt it. A child with a controller has no such owners: its controller
 * hears about it through the ownerReference. An empty selector matches nothing here.
 */
export function ownersOfOrphan<O extends SelectingOwner>(child: KubernetesObject, owners: readonly O[]): O[] {
  if (child.metadata?.ownerReferences?.some((ref) => ref.controller === true)) return [];
  return owners.filter(
    (owner) =>
      owner.metadata?.namespace === child.metadata?.namespace &&
      !selectsEverything(owner.spec.selector) &&
      labelSelectorMatcher(owner.spec.selector)(child.metadata?.labels),
  );
}
