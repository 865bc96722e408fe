// Which workload an ApiSla scales when spec.scaleTargetRef is absent: the one Deployment,
// StatefulSet or ReplicaSet (apps/v1 or ours) that controls the selected pods. Pods of a
// Deployment are controlled by its ReplicaSets, so a ReplicaSet's own controller is followed once.
import type { V1OwnerReference, V1Pod } from '@kubernetes/client-node';

/** The workload kinds whose scale subresource the operator drives, in both API groups. */
export const SCALABLE_API_VERSIONS = ['apps/v1', 'apps.typerator.dev/v1'] as const;
const SCALABLE_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet'] as const;
export type ScalableKind = (typeof SCALABLE_KINDS)[number];

/** A workload in the ApiSla's namespace. */
export interface WorkloadRef {
  readonly apiVersion: string;
  readonly kind: ScalableKind;
  readonly name: string;
}

/** Why no single target was found; stable reasons for the status condition. */
export type TargetProblem = 'NoPods' | 'PodsNotControlled' | 'SeveralTargets' | 'UnsupportedTarget';

export type TargetResolution =
  { readonly target: WorkloadRef } | { readonly problem: TargetProblem; readonly message: string };

/** Reads a ReplicaSet's controller reference (undefined when it has none or is gone). */
export type ReplicaSetOwnerLookup = (
  apiVersion: string,
  name: string,
) => Promise<V1OwnerReference | undefined>;

export const describeWorkload = (ref: WorkloadRef): string => `${ref.kind} ${ref.name} (${ref.apiVersion})`;

const controllerRef = (owners: readonly V1OwnerReference[] | undefined) =>
  owners?.find((owner) => owner.controller === true);

function scalable(owner: Pick<V1OwnerReference, 'apiVersion' | 'kind' | 'name'>): WorkloadRef | undefined {
  const apiVersion = SCALABLE_API_VERSIONS.find((version) => version === owner.apiVersion);
  const kind = SCALABLE_KINDS.find((candidate) => candidate === owner.kind);
  return apiVersion && kind ? { apiVersion, kind, name: owner.name } : undefined;
}

/** Checks a target named by spec.scaleTargetRef. */
export function checkNamedTarget(ref: { apiVersion: string; kind: string; name: string }): TargetResolution {
  const target = scalable(ref);
  if (target) return { target };
  return {
    problem: 'UnsupportedTarget',
    message: `spec.scaleTargetRef names ${ref.kind} ${ref.name} (${ref.apiVersion}); expected a Deployment, StatefulSet or ReplicaSet of ${SCALABLE_API_VERSIONS.join(' or ')}`,
  };
}

/** Finds the single workload controlling `pods` (the pods the ApiSla's selector matches). */
export async function findScaleTarget(
  pods: readonly V1Pod[],
  replicaSetOwner: ReplicaSetOwnerLookup,
): Promise<TargetResolution> {
  const live = pods.filter((pod) => pod.metadata?.deletionTimestamp === undefined);
  if (live.length === 0)
    return {
      problem: 'NoPods',
      message: 'no pod matches spec.selector; set spec.scaleTargetRef or check the labels',
    };
  const targets = new Map<string, WorkloadRef>();
  const uncontrolled: string[] = [];
  // Pods of one ReplicaSet share its owner: look each ReplicaSet up once.
  const replicaSetTargets = new Map<string, Promise<WorkloadRef | undefined>>();
  for (const pod of live) {
    const owner = controllerRef(pod.metadata?.ownerReferences);
    let target = owner ? scalable(owner) : undefined;
    if (owner && target?.kind === 'ReplicaSet') {
      const key = `${owner.apiVersion}/${owner.name}`;
      let lookup = replicaSetTargets.get(key);
      if (!lookup) {
        const replicaSet = target;
        lookup = replicaSetOwner(owner.apiVersion, owner.name).then((parent) =>
          parent ? scalable(parent) : replicaSet,
        );
        replicaSetTargets.set(key, lookup);
      }
      target = await lookup;
    }
    if (target) targets.set(`${target.apiVersion}/${target.kind}/${target.name}`, target);
    else uncontrolled.push(pod.metadata?.name ?? '?');
  }
  const found = [...targets.values()];
  if (found.length === 1 && found[0]) return { target: found[0] };
  if (found.length > 1)
    return {
      problem: 'SeveralTargets',
      message: `spec.selector matches pods of ${found.map(describeWorkload).join(', ')}; narrow the selector or set spec.scaleTargetRef`,
    };
  return {
    problem: 'PodsNotControlled',
    message: `the selected pods (${uncontrolled.slice(0, 3).join(', ')}${uncontrolled.length > 3 ? ', …' : ''}) belong to no Deployment, StatefulSet or ReplicaSet; set spec.scaleTargetRef`,
  };
}
