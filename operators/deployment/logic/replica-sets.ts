import type { Deployment, ReplicaSet } from '../api/types.ts';
import { DESIRED_REPLICAS_ANNOTATION } from './annotations.ts';
import { desiredReplicas, replicaSetAvailable, replicaSetReplicas } from './deployment-spec.ts';
import { templatesEqualIgnoringHash } from './hash.ts';
import { timeMillis } from './timestamps.ts';

/** A Deployment's owned ReplicaSets split into the one running its template and the rest. */
export interface ReplicaSetsOfDeployment {
  /** The oldest ReplicaSet whose template equals the Deployment's; absent before the first rollout step. */
  readonly newRS: ReplicaSet | undefined;
  /** Every other owned ReplicaSet, oldest first. */
  readonly oldRSs: readonly ReplicaSet[];
}

const nameOf = (rs: ReplicaSet) => rs.metadata?.name ?? '';
const createdAt = (rs: ReplicaSet) => timeMillis(rs.metadata?.creationTimestamp) ?? 0;

/** Orders ReplicaSets oldest first; equal creation times fall back to the name. */
export function compareByCreation(a: ReplicaSet, b: ReplicaSet): number {
  return createdAt(a) - createdAt(b) || (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0);
}

/** A copy of the list, oldest first. */
export function sortedByCreation(replicaSets: readonly ReplicaSet[]): ReplicaSet[] {
  return [...replicaSets].sort(compareByCreation);
}

/**
 * Splits the owned ReplicaSets. The new one is the oldest whose template equals the Deployment's
 * (ignoring the hash label), so that duplicates, which can appear after upgrades, resolve the same
 * way on every sync.
 */
export function splitReplicaSets(d: Deployment, owned: readonly ReplicaSet[]): ReplicaSetsOfDeployment {
  const sorted = sortedByCreation(owned);
  const newRS = sorted.find((rs) => templatesEqualIgnoringHash(rs.spec.template, d.spec.template));
  return { newRS, oldRSs: sorted.filter((rs) => rs !== newRS) };
}

/** spec.replicas > 0. */
export function isActive(rs: ReplicaSet): boolean {
  return replicaSetReplicas(rs) > 0;
}

/** The active ReplicaSets among `replicaSets` (undefined entries, i.e. a missing new RS, dropped). */
export function activeReplicaSets(replicaSets: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
  return replicaSets.filter((rs): rs is ReplicaSet => rs !== undefined && isActive(rs));
}

const sum = (replicaSets: readonly (ReplicaSet | undefined)[], count: (rs: ReplicaSet) => number) =>
  replicaSets.reduce((total, rs) => total + (rs === undefined ? 0 : count(rs)), 0);

/** Σ spec.replicas. */
export function totalSpecReplicas(replicaSets: readonly (ReplicaSet | undefined)[]): number {
  return sum(replicaSets, replicaSetReplicas);
}

/** Σ status.replicas (pods that exist). */
export function totalStatusReplicas(replicaSets: readonly (ReplicaSet | undefined)[]): number {
  return sum(replicaSets, (rs) => rs.status?.replicas ?? 0);
}

/** Σ status.readyReplicas. */
export function totalReadyReplicas(replicaSets: readonly (ReplicaSet | undefined)[]): number {
  return sum(replicaSets, (rs) => rs.status?.readyReplicas ?? 0);
}

/** Σ status.availableReplicas. */
export function totalAvailableReplicas(replicaSets: readonly (ReplicaSet | undefined)[]): number {
  return sum(replicaSets, replicaSetAvailable);
}

/**
 * An annotation read as an integer the way Go's strconv.Atoi reads it; undefined when missing or
 * malformed.
 */
export function integerAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const value = rs.metadata?.annotations?.[key];
  return value !== undefined && /^[+-]?\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * A scaling event: some active ReplicaSet was last sized for a different spec.replicas (its
 * desired-replicas annotation differs). Such a sync scales proportionally instead of rolling out.
 */
export function isScalingEvent(
  d: Deployment,
  newRS: ReplicaSet | undefined,
  oldRSs: readonly ReplicaSet[],
): boolean {
  return activeReplicaSets([...oldRSs, newRS]).some((rs) => {
    const desired = integerAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
    return desired !== undefined && desired !== desiredReplicas(d);
  });
}

/**
 * With at most one active ReplicaSet, the one that should absorb a scale: that active one, or with
 * none active the new RS, else the newest old one. Undefined when several are active (scale them
 * proportionally) or there are none at all.
 */
export function findActiveOrLatest(
  newRS: ReplicaSet | undefined,
  oldRSs: readonly ReplicaSet[],
): ReplicaSet | undefined {
  const active = activeReplicaSets([...oldRSs, newRS]);
  if (active.length === 1) return active[0];
  if (active.length > 1) return undefined;
  return newRS ?? sortedByCreation(oldRSs).at(-1);
}

/**
 * The new RS holds the whole Deployment: spec and desired-replicas annotation equal spec.replicas
 * and every replica is available. Old ReplicaSets can then go straight to 0.
 */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (rs === undefined) return false;
  const replicas = desiredReplicas(d);
  return (
    replicaSetReplicas(rs) === replicas &&
    integerAnnotation(rs, DESIRED_REPLICAS_ANNOTATION) === replicas &&
    replicaSetAvailable(rs) === replicas
  );
}
