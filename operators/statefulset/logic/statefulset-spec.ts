import type { IntOrString } from '@kubernetes/client-node';
import type {
  PersistentVolumeClaimRetentionPolicyType,
  PodManagementPolicyType,
  StatefulSet,
  StatefulSetUpdateStrategyType,
} from '../api/types.ts';

// Every algorithm reads the spec through these accessors, so it sees what apps/v1 defaulting would
// have filled in, whether or not a webhook did. One quirk is kept on purpose: defaulting adds a
// rollingUpdate block only when the strategy type itself was left out, so an explicit
// `type: RollingUpdate` without the block has no partition (see rollingUpdateStrategy).

/** The apps/v1 defaults of a StatefulSet spec. */
export const STATEFUL_SET_DEFAULTS = {
  replicas: 1,
  podManagementPolicy: 'OrderedReady',
  updateStrategyType: 'RollingUpdate',
  partition: 0,
  maxUnavailable: 1,
  revisionHistoryLimit: 10,
  minReadySeconds: 0,
  ordinalsStart: 0,
  retention: 'Retain',
} as const;

/** spec.replicas, default 1. */
export function desiredReplicas(set: StatefulSet): number {
  return set.spec.replicas ?? STATEFUL_SET_DEFAULTS.replicas;
}

/** spec.ordinals.start, default 0: the first ordinal in range. */
export function startOrdinal(set: StatefulSet): number {
  return set.spec.ordinals?.start ?? STATEFUL_SET_DEFAULTS.ordinalsStart;
}

/** The last ordinal in range (start + replicas − 1; below start when replicas is 0). */
export function endOrdinal(set: StatefulSet): number {
  return startOrdinal(set) + desiredReplicas(set) - 1;
}

/** spec.podManagementPolicy, default OrderedReady. */
export function podManagementPolicy(set: StatefulSet): PodManagementPolicyType {
  return set.spec.podManagementPolicy ?? STATEFUL_SET_DEFAULTS.podManagementPolicy;
}

/**
 * Parallel pod management ("burst"): replicas are processed concurrently and nothing waits for
 * health. OrderedReady is "monotonic": one step at a time, in ordinal order.
 */
export function isParallel(set: StatefulSet): boolean {
  return podManagementPolicy(set) === 'Parallel';
}

/** spec.updateStrategy.type, default RollingUpdate. */
export function updateStrategyType(set: StatefulSet): StatefulSetUpdateStrategyType {
  return set.spec.updateStrategy?.type ?? STATEFUL_SET_DEFAULTS.updateStrategyType;
}

/** The rollingUpdate block as apps/v1 defaulting leaves it. */
export interface ResolvedRollingUpdate {
  /** Pods with an index (ordinal − start) below this are not updated. */
  readonly partition: number;
  /** As written; resolved by the update strategy (only with the MaxUnavailableStatefulSet gate). */
  readonly maxUnavailable?: IntOrString;
}

/**
 * spec.updateStrategy.rollingUpdate after defaulting: with no type at all, a block with partition 0
 * (or the written one, its partition defaulted); with an explicit type, the written block (partition
 * defaulted to 0) or undefined when there is none. Upstream behaves differently in the undefined
 * case (a missing pod's revision follows status.currentReplicas), so the difference is kept.
 */
export function rollingUpdateStrategy(set: StatefulSet): ResolvedRollingUpdate | undefined {
  const strategy = set.spec.updateStrategy;
  const written = strategy?.rollingUpdate;
  if (written === undefined && strategy?.type !== undefined) return undefined;
  const partition = written?.partition ?? STATEFUL_SET_DEFAULTS.partition;
  return written?.maxUnavailable === undefined
    ? { partition }
    : { partition, maxUnavailable: written.maxUnavailable };
}

/** spec.revisionHistoryLimit, default 10; a negative limit keeps everything. */
export function revisionHistoryLimit(set: StatefulSet): number {
  return set.spec.revisionHistoryLimit ?? STATEFUL_SET_DEFAULTS.revisionHistoryLimit;
}

/** spec.minReadySeconds, default 0. */
export function minReadySeconds(set: StatefulSet): number {
  return set.spec.minReadySeconds ?? STATEFUL_SET_DEFAULTS.minReadySeconds;
}

/** spec.persistentVolumeClaimRetentionPolicy with both fields defaulted to Retain. */
export interface RetentionPolicy {
  readonly whenDeleted: PersistentVolumeClaimRetentionPolicyType;
  readonly whenScaled: PersistentVolumeClaimRetentionPolicyType;
}

/** The claim retention policy, each field defaulting to Retain. */
export function retentionPolicy(set: StatefulSet): RetentionPolicy {
  const policy = set.spec.persistentVolumeClaimRetentionPolicy;
  return {
    whenDeleted: policy?.whenDeleted ?? STATEFUL_SET_DEFAULTS.retention,
    whenScaled: policy?.whenScaled ?? STATEFUL_SET_DEFAULTS.retention,
  };
}

/** metadata.generation, 0 when unset. */
export function generation(set: StatefulSet): number {
  return set.metadata?.generation ?? 0;
}

/** The set has a deletionTimestamp: only its status is written. */
export function isBeingDeleted(set: StatefulSet): boolean {
  return set.metadata?.deletionTimestamp !== undefined;
}
