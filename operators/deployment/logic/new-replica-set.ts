import type { V1LabelSelector, V1OwnerReference } from '@kubernetes/client-node';
import type { Deployment, DeploymentCondition, ReplicaSet } from '../api/types.ts';
import { POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION } from './annotations.ts';
import {
  PROGRESSING,
  findDeploymentCondition,
  foundNewReplicaSetCondition,
  newReplicaSetCreatedCondition,
  setDeploymentCondition,
} from './conditions.ts';
import {
  desiredReplicas,
  hasProgressDeadline,
  isRollingUpdate,
  minReadySeconds,
  replicaSetReplicas,
} from './deployment-spec.ts';
import { maxSurge } from './fenceposts.ts';
import { podTemplateHash, templatesEqualIgnoringHash } from './hash.ts';
import { totalSpecReplicas } from './replica-sets.ts';
import { newReplicaSetAnnotations, nextRevision } from './revisions.ts';

/** A controller reference (controller and blockOwnerDeletion true) to the Deployment. */
export function deploymentControllerRef(d: Deployment): V1OwnerReference {
  const { name, uid } = d.metadata ?? {};
  if (name === undefined || uid === undefined) {
    throw new TypeError(
      'the Deployment needs metadata.name and metadata.uid (read it from the apiserver first)',
    );
  }
  return { apiVersion: d.apiVersion, kind: d.kind, name, uid, controller: true, blockOwnerDeletion: true };
}

/** The selector with matchLabels[key] = value added (matchExpressions kept). */
export function selectorWithLabel(selector: V1LabelSelector, key: string, value: string): V1LabelSelector {
  return { ...selector, matchLabels: { ...selector.matchLabels, [key]: value } };
}

/**
 * The replicas the new ReplicaSet should have in a rollout step. Recreate: all of them.
 * RollingUpdate: grow by what the surge budget (replicas + maxSurge − Σ spec of all ReplicaSets)
 * allows, never above replicas and never shrinking, so a brand-new Deployment starts at full size.
 */
export function newReplicaSetTargetReplicas(
  d: Deployment,
  allRSs: readonly ReplicaSet[],
  newRS: ReplicaSet,
): number {
  const replicas = desiredReplicas(d);
  if (!isRollingUpdate(d)) return replicas;
  const current = replicaSetReplicas(newRS);
  const room = replicas + maxSurge(d) - totalSpecReplicas(allRSs);
  if (room <= 0) return current;
  return current + Math.min(room, replicas - current);
}

/**
 * The ReplicaSet to create for the Deployment's current template: named `<deployment>-<hash>`,
 * labels and template labels plus pod-template-hash, selector narrowed to the hash, controlled by
 * the Deployment, with the copied annotations, the next revision and the replica annotations.
 * Its size follows newReplicaSetTargetReplicas from 0.
 */
export function newReplicaSetFor(d: Deployment, oldRSs: readonly ReplicaSet[]): ReplicaSet {
  const hash = podTemplateHash(d.spec.template, d.status?.collisionCount);
  const labels = { ...d.spec.template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash };
  const owner = deploymentControllerRef(d);
  const draft: ReplicaSet = {
    apiVersion: d.apiVersion,
    kind: 'ReplicaSet',
    metadata: {
      name: `${owner.name}-${hash}`,
      ...(d.metadata?.namespace === undefined ? {} : { namespace: d.metadata.namespace }),
      labels,
      ownerReferences: [owner],
    },
    spec: {
      replicas: 0,
      minReadySeconds: minReadySeconds(d),
      selector: selectorWithLabel(d.spec.selector, POD_TEMPLATE_HASH_LABEL, hash),
      template: { ...d.spec.template, metadata: { ...d.spec.template.metadata, labels } },
    },
  };
  const replicas = newReplicaSetTargetReplicas(d, [...oldRSs, draft], draft);
  const { annotations } = newReplicaSetAnnotations({
    deploymentAnnotations: d.metadata?.annotations,
    replicaSetAnnotations: undefined,
    newRevision: nextRevision(oldRSs),
    created: true,
    desiredReplicas: desiredReplicas(d),
    maxReplicas: desiredReplicas(d) + maxSurge(d),
  });
  return { ...draft, metadata: { ...draft.metadata, annotations }, spec: { ...draft.spec, replicas } };
}

/**
 * The existing new ReplicaSet with its annotations (copy, revision) and minReadySeconds brought in
 * line with the Deployment, or undefined when it already is.
 */
export function syncedNewReplicaSet(
  d: Deployment,
  newRS: ReplicaSet,
  oldRSs: readonly ReplicaSet[],
): ReplicaSet | undefined {
  const { annotations, changed } = newReplicaSetAnnotations({
    deploymentAnnotations: d.metadata?.annotations,
    replicaSetAnnotations: newRS.metadata?.annotations,
    newRevision: nextRevision(oldRSs),
    created: false,
    desiredReplicas: desiredReplicas(d),
    maxReplicas: desiredReplicas(d) + maxSurge(d),
  });
  const minReady = minReadySeconds(d);
  if (!changed && (newRS.spec.minReadySeconds ?? 0) === minReady) return undefined;
  return {
    ...newRS,
    metadata: { ...newRS.metadata, annotations },
    spec: { ...newRS.spec, minReadySeconds: minReady },
  };
}

/**
 * After a create answered AlreadyExists: whether the ReplicaSet holding our name is really ours
 * (controlled by this Deployment, same template) and can be used as the new RS. When not, it is a
 * hash collision: bump collisionCount (see nextCollisionCount) and retry on the next sync.
 */
export function isOurNewReplicaSet(d: Deployment, existing: ReplicaSet): boolean {
  const controller = existing.metadata?.ownerReferences?.find((ref) => ref.controller === true);
  return (
    controller !== undefined &&
    controller.uid === d.metadata?.uid &&
    templatesEqualIgnoringHash(existing.spec.template, d.spec.template)
  );
}

/** status.collisionCount after a hash collision: unset becomes 1. */
export function nextCollisionCount(d: Deployment): number {
  return (d.status?.collisionCount ?? 0) + 1;
}

/** What the Deployment needs written once its new ReplicaSet exists. */
export interface DeploymentBookkeeping {
  /** The Deployment's revision annotation, when it differs from the new ReplicaSet's. */
  readonly revision?: string;
  /** The status conditions, when Progressing must be set. */
  readonly conditions?: DeploymentCondition[];
}

/**
 * The Deployment's side of having a new ReplicaSet: its revision annotation follows the
 * ReplicaSet's, and with a progress deadline Progressing becomes NewReplicaSetCreated (after a
 * create) or FoundNewReplicaSet (an existing one, when no Progressing condition exists yet).
 * Undefined when nothing changes. The revision lives in metadata: with a CRD it must be patched on
 * the main resource, since /status drops metadata changes.
 */
export function deploymentBookkeeping(
  d: Deployment,
  newRS: ReplicaSet,
  created: boolean,
  now: number,
): DeploymentBookkeeping | undefined {
  const name = newRS.metadata?.name ?? '';
  const rsRevision = newRS.metadata?.annotations?.[REVISION_ANNOTATION] ?? '';
  const revision = d.metadata?.annotations?.[REVISION_ANNOTATION] === rsRevision ? undefined : rsRevision;
  let conditions: DeploymentCondition[] | undefined;
  if (hasProgressDeadline(d)) {
    if (created) {
      conditions = setDeploymentCondition(d.status?.conditions, newReplicaSetCreatedCondition(name, now));
    } else if (findDeploymentCondition(d.status?.conditions, PROGRESSING) === undefined) {
      conditions = setDeploymentCondition(d.status?.conditions, foundNewReplicaSetCondition(name, now));
    }
  }
  if (revision === undefined && conditions === undefined) return undefined;
  return {
    ...(revision === undefined ? {} : { revision }),
    ...(conditions === undefined ? {} : { conditions }),
  };
}
