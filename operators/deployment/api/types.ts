import type { IntOrString, V1LabelSelector, V1ObjectMeta, V1PodTemplateSpec } from '@kubernetes/client-node';
import type { Int32, Int64 } from '../../../sdk/crd/index.ts';

// Plain types for the example operator's kinds. Spec and status mirror apps/v1 field for field, so
// the upstream algorithms (and users' manifests) carry over unchanged; only the group differs.
// Timestamps are RFC 3339 strings because that is what arrives over the wire (the SDK client does
// not revive Dates).

/** API group of the example workload kinds. */
export const API_GROUP = 'apps.typerator.dev';
/** apiVersion of Deployment and ReplicaSet in this group. */
export const API_VERSION = 'apps.typerator.dev/v1';

/** Condition status values, as in every Kubernetes API. */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** How old pods are replaced: all at once (Recreate) or gradually (RollingUpdate). */
export type DeploymentStrategyType = 'Recreate' | 'RollingUpdate';

/** Bounds of a rolling update. */
export interface RollingUpdateDeployment {
  /** Pods that may be unavailable during the update: a count or a percent of replicas (rounded down). */
  maxUnavailable?: IntOrString;
  /** Pods that may exist above replicas during the update: a count or a percent (rounded up). */
  maxSurge?: IntOrString;
}

/** How a Deployment replaces old pods with new ones. */
export interface DeploymentStrategy {
  /** Recreate or RollingUpdate (the default). */
  type?: DeploymentStrategyType;
  /** Only with RollingUpdate. */
  rollingUpdate?: RollingUpdateDeployment;
}

/** Desired state of a Deployment. */
export interface DeploymentSpec {
  /** Desired number of pods; default 1. */
  replicas?: Int32;
  /**
   * Label query over pods; must match the template's labels and cannot change.
   * @immutable message="spec.selector is immutable"
   */
  selector: V1LabelSelector;
  /** Pods to run; a change starts a rollout. */
  template: V1PodTemplateSpec;
  /** How to replace old pods; default RollingUpdate with 25% surge and 25% unavailable. */
  strategy?: DeploymentStrategy;
  /** Seconds a pod must be ready, with no container crashing, to count as available; default 0. */
  minReadySeconds?: Int32;
  /** Old ReplicaSets kept for rollback; default 10. */
  revisionHistoryLimit?: Int32;
  /** A paused Deployment still scales but does not roll out template changes. */
  paused?: boolean;
  /** Seconds without progress before Progressing turns False; default 600, 2147483647 = no deadline. */
  progressDeadlineSeconds?: Int32;
}

/** An observation about a Deployment. */
export interface DeploymentCondition {
  /** Available, Progressing or ReplicaFailure. */
  type: string;
  /** True, False or Unknown. */
  status: ConditionStatus;
  /** Last time the condition was written with news (progress restarts the deadline clock). */
  lastUpdateTime?: string;
  /** Last time the status changed. */
  lastTransitionTime?: string;
  /** One-word CamelCase cause. */
  reason?: string;
  /** Human-readable details. */
  message?: string;
}

/** Observed state of a Deployment. */
export interface DeploymentStatus {
  /** The generation this status describes. */
  observedGeneration?: Int64;
  /** Pods (non-terminated) of all ReplicaSets. */
  replicas?: Int32;
  /** Pods of the new ReplicaSet. */
  updatedReplicas?: Int32;
  /** Pods with a Ready condition. */
  readyReplicas?: Int32;
  /** Pods ready for at least minReadySeconds. */
  availableReplicas?: Int32;
  /** Desired pods that are not available yet. */
  unavailableReplicas?: Int32;
  /** Pods being deleted that have not terminated yet; absent when unknown. */
  terminatingReplicas?: Int32;
  /** Latest observations. */
  conditions?: DeploymentCondition[];
  /** Bumped on a pod-template-hash collision so the next new ReplicaSet gets another name. */
  collisionCount?: Int32;
}

/**
 * Runs a replicated application through ReplicaSets, rolling out template changes.
 * @group apps.typerator.dev
 * @version v1
 * @shortNames tdeploy
 * @categories typerator
 * @subresource status
 * @subresource scale specReplicasPath=.spec.replicas statusReplicasPath=.status.replicas
 * @printerColumn name=Desired type=integer jsonPath=.spec.replicas
 * @printerColumn name=Ready type=integer jsonPath=.status.readyReplicas
 * @printerColumn name=Up-to-date type=integer jsonPath=.status.updatedReplicas
 * @printerColumn name=Available type=integer jsonPath=.status.availableReplicas
 * @printerColumn name=Age type=date jsonPath=.metadata.creationTimestamp
 */
export interface Deployment {
  apiVersion: string;
  kind: string;
  metadata?: V1ObjectMeta;
  spec: DeploymentSpec;
  status?: DeploymentStatus;
}

/** Desired state of a ReplicaSet. */
export interface ReplicaSetSpec {
  /** Desired number of pods; default 1. */
  replicas?: Int32;
  /** Seconds a pod must be ready to count as available; default 0. */
  minReadySeconds?: Int32;
  /** Label query over pods; must match the template's labels. */
  selector: V1LabelSelector;
  /** Pods to create when too few exist. */
  template?: V1PodTemplateSpec;
}

/** An observation about a ReplicaSet. */
export interface ReplicaSetCondition {
  /** ReplicaFailure. */
  type: string;
  /** True, False or Unknown. */
  status: ConditionStatus;
  /** Last time the status changed. */
  lastTransitionTime?: string;
  /** One-word CamelCase cause (FailedCreate, FailedDelete). */
  reason?: string;
  /** Human-readable details. */
  message?: string;
}

/** Observed state of a ReplicaSet. */
export interface ReplicaSetStatus {
  /** Active pods claimed by this ReplicaSet. */
  replicas: Int32;
  /** Pods whose labels include all template labels. */
  fullyLabeledReplicas?: Int32;
  /** Pods with a Ready condition. */
  readyReplicas?: Int32;
  /** Pods ready for at least minReadySeconds. */
  availableReplicas?: Int32;
  /** Pods being deleted that have not terminated yet; absent when unknown. */
  terminatingReplicas?: Int32;
  /** The generation this status describes. */
  observedGeneration?: Int64;
  /** Latest observations. */
  conditions?: ReplicaSetCondition[];
}

/**
 * Keeps a number of identical pods running.
 * @group apps.typerator.dev
 * @version v1
 * @shortNames trs
 * @categories typerator
 * @subresource status
 * @subresource scale specReplicasPath=.spec.replicas statusReplicasPath=.status.replicas
 * @printerColumn name=Desired type=integer jsonPath=.spec.replicas
 * @printerColumn name=Current type=integer jsonPath=.status.replicas
 * @printerColumn name=Ready type=integer jsonPath=.status.readyReplicas
 * @printerColumn name=Age type=date jsonPath=.metadata.creationTimestamp
 */
export interface ReplicaSet {
  apiVersion: string;
  kind: string;
  metadata?: V1ObjectMeta;
  spec: ReplicaSetSpec;
  status?: ReplicaSetStatus;
}
