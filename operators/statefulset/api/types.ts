import type {
  IntOrString,
  V1LabelSelector,
  V1ObjectMeta,
  V1PersistentVolumeClaim,
  V1PodTemplateSpec,
} from '@kubernetes/client-node';
import type { Int32, Int64 } from '../../../sdk/crd/index.ts';
import type { ConditionStatus } from '../../deployment/api/types.ts';

// Our StatefulSet kind. Spec and status mirror apps/v1 field for field, so upstream manifests and
// the upstream algorithms carry over; only the group differs (same group as our Deployment). The
// one addition is status.selector, which the scale subresource needs (see StatefulSetStatus).

export { API_GROUP, API_VERSION } from '../../deployment/api/types.ts';

/** How pods are created and deleted: one at a time in ordinal order, or all at once. */
export type PodManagementPolicyType = 'OrderedReady' | 'Parallel';

/** How template changes reach existing pods. */
export type StatefulSetUpdateStrategyType = 'RollingUpdate' | 'OnDelete';

/** Bounds of a rolling update. */
export interface RollingUpdateStatefulSetStrategy {
  /** Pods with an index below this keep the current revision (canary/phased rollouts); default 0. */
  partition?: Int32;
  /**
   * Pods that may be unavailable during the update: a count or a percent (rounded down, at least 1).
   * Honoured only with the MaxUnavailableStatefulSet feature gate (off by default in 1.34).
   */
  maxUnavailable?: IntOrString;
}

/** How a StatefulSet replaces pods after a template change. */
export interface StatefulSetUpdateStrategy {
  /** RollingUpdate (the default) or OnDelete. */
  type?: StatefulSetUpdateStrategyType;
  /** Only with RollingUpdate. */
  rollingUpdate?: RollingUpdateStatefulSetStrategy;
}

/** Retain keeps the claims; Delete lets the garbage collector remove them. */
export type PersistentVolumeClaimRetentionPolicyType = 'Retain' | 'Delete';

/** What happens to the claims made from volumeClaimTemplates. */
export interface StatefulSetPersistentVolumeClaimRetentionPolicy {
  /** When the StatefulSet is deleted; default Retain. */
  whenDeleted?: PersistentVolumeClaimRetentionPolicyType;
  /** When a pod is removed by scaling down; default Retain. */
  whenScaled?: PersistentVolumeClaimRetentionPolicyType;
}

/** Numbering of the replicas. */
export interface StatefulSetOrdinals {
  /** The first replica's index; replicas are numbered [start, start + replicas). Default 0. */
  start?: Int32;
}

/** Desired state of a StatefulSet. */
export interface StatefulSetSpec {
  /** Desired number of pods; default 1. */
  replicas?: Int32;
  /**
   * Label query over pods; must match the template's labels and cannot change.
   * @immutable message="spec.selector is immutable"
   */
  selector: V1LabelSelector;
  /** Pods to run, each named <set>-<ordinal>; a change starts an update. */
  template: V1PodTemplateSpec;
  /** Claims made per pod (<claim>-<set>-<ordinal>) and mounted as the volume of the same name. */
  volumeClaimTemplates?: V1PersistentVolumeClaim[];
  /**
   * The headless Service that gives pods their DNS names (pod subdomain); the user creates it.
   * @immutable message="spec.serviceName is immutable"
   */
  serviceName?: string;
  /**
   * OrderedReady (the default) or Parallel.
   * @immutable message="spec.podManagementPolicy is immutable"
   */
  podManagementPolicy?: PodManagementPolicyType;
  /** How to replace pods after a template change; default RollingUpdate with partition 0. */
  updateStrategy?: StatefulSetUpdateStrategy;
  /** Old revisions (ControllerRevisions no pod uses) kept; default 10. */
  revisionHistoryLimit?: Int32;
  /** Seconds a pod must be ready to count as available; default 0. */
  minReadySeconds?: Int32;
  /** Whether claims are deleted with the StatefulSet or on scale-down; default Retain for both. */
  persistentVolumeClaimRetentionPolicy?: StatefulSetPersistentVolumeClaimRetentionPolicy;
  /** Numbering of the replicas. */
  ordinals?: StatefulSetOrdinals;
}

/** An observation about a StatefulSet (the controller sets none, as upstream). */
export interface StatefulSetCondition {
  /** Condition type. */
  type: string;
  /** True, False or Unknown. */
  status: ConditionStatus;
  /** Last time the status changed. */
  lastTransitionTime?: string;
  /** One-word CamelCase cause. */
  reason?: string;
  /** Human-readable details. */
  message?: string;
}

/** Observed state of a StatefulSet. */
export interface StatefulSetStatus {
  /** The generation this status describes. */
  observedGeneration?: Int64;
  /** Pods created by the controller (terminating ones included). */
  replicas: Int32;
  /** Running pods with a Ready condition. */
  readyReplicas?: Int32;
  /** Pods (not terminating) at currentRevision. */
  currentReplicas?: Int32;
  /** Pods (not terminating) at updateRevision. */
  updatedReplicas?: Int32;
  /** Running pods ready for at least minReadySeconds. */
  availableReplicas?: Int32;
  /** ControllerRevision the pods below the update come from. */
  currentRevision?: string;
  /** ControllerRevision of the current template. */
  updateRevision?: string;
  /** Bumped on a ControllerRevision name collision so the next name differs. */
  collisionCount?: Int32;
  /** Latest observations. */
  conditions?: StatefulSetCondition[];
  /** spec.selector as a label-selector string, for the scale subresource (not in apps/v1). */
  selector?: string;
}

/**
 * Runs pods with stable names, storage and ordering.
 * @group apps.typerator.dev
 * @version v1
 * @shortNames tsts
 * @categories typerator
 * @subresource status
 * @subresource scale specReplicasPath=.spec.replicas statusReplicasPath=.status.replicas labelSelectorPath=.status.selector
 * @printerColumn name=Ready type=integer jsonPath=.status.readyReplicas
 * @printerColumn name=Desired type=integer jsonPath=.spec.replicas
 * @printerColumn name=Age type=date jsonPath=.metadata.creationTimestamp
 */
export interface StatefulSet {
  apiVersion: string;
  kind: string;
  metadata?: V1ObjectMeta;
  spec: StatefulSetSpec;
  status?: StatefulSetStatus;
}
