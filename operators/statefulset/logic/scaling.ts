import type { V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import { slowStartBatchSizes } from '../../deployment/logic/slow-start.ts';
import type { StatefulSet } from '../api/types.ts';
import { identityMatches, ordinalOf, storageMatches, withIdentity, withStorage } from './identity.ts';
import { firstUnavailablePod, type PodSplit } from './pod-split.ts';
import {
  isCreated,
  isFailed,
  isPending,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  isTerminating,
} from './pod-state.ts';
import {
  ClaimBeingDeletedError,
  type ClaimsByName,
  claimsMatchRetentionPolicy,
  hasStaleClaim,
  missingClaims,
  retentionUpdates,
} from './pvc-retention.ts';
import { isParallel, minReadySeconds } from './statefulset-spec.ts';

// Scaling: what each replica needs (create, replace, repair, or wait), then which condemned pod
// goes. OrderedReady ("monotonic") visits replicas in ordinal order and ends the sync at the
// first step that halts; Parallel plans every replica and ignores halts, and the controller runs
// the steps in slow-start batches (1, 2, 4, … at most 500), stopping after a failing batch.

/** Pods (or their claims) a Parallel StatefulSet handles at once, at most. */
export const STATEFUL_SET_MAX_BATCH_SIZE = 500;

/** The Parallel batch sizes for `count` steps: 1, 2, 4, … capped at 500. */
export function parallelBatchSizes(count: number): number[] {
  return slowStartBatchSizes(count, 1, STATEFUL_SET_MAX_BATCH_SIZE);
}

/** One write. Within a step, actions run in order and the step ends at the first failure. */
export type PodAction =
  /** Create these claims (absent from the cache) before the pod. */
  | { readonly kind: 'create-claims'; readonly claims: readonly V1PersistentVolumeClaim[] }
  /** Create the pod (AlreadyExists is an error: the cache was stale). */
  | { readonly kind: 'create-pod'; readonly pod: V1Pod }
  /** Delete the pod. NotFound counts as done for `update` deletions only. */
  | { readonly kind: 'delete-pod'; readonly pod: V1Pod; readonly reason: DeleteReason }
  /** Update the pod to this copy (identity or storage repaired; unchanged when only claims were). */
  | { readonly kind: 'update-pod'; readonly pod: V1Pod }
  /** Update claims' ownerReferences; emit a Warning ConflictingController event per `conflicting` claim. */
  | {
      readonly kind: 'update-claims';
      readonly claims: readonly V1PersistentVolumeClaim[];
      readonly conflicting: readonly string[];
    }
  /** Fail the step with this error (the sync returns it and is retried with backoff). */
  | { readonly kind: 'fail'; readonly error: Error };

/** Why a pod is deleted. */
export type DeleteReason = 'failed' | 'succeeded' | 'scale-down' | 'update';

/** Why a step ends an OrderedReady sync (Parallel ignores all but errors). */
export type HaltReason =
  /** A Failed or Succeeded pod was deleted (or is being deleted): recreate it once it is gone. */
  | 'replacing-terminal-pod'
  /** A pod was created: wait for it. */
  | 'created'
  /** A claim still names the previous pod of this name; the garbage collector must delete it first. */
  | 'stale-claim'
  /** The pod is being deleted. */
  | 'terminating'
  /** The pod is not Running and Ready. */
  | 'not-running-and-ready'
  /** The pod is not yet available (minReadySeconds). */
  | 'not-available'
  /** A condemned pod was deleted: one per sync. */
  | 'deleted';

/** What one pod needs this sync. */
export interface PodStep {
  readonly ordinal: number;
  /** The pod (for a missing replica, the pod to create). */
  readonly pod: V1Pod;
  readonly actions: readonly PodAction[];
  /** Set when OrderedReady must stop after this step. */
  readonly halt?: HaltReason;
}

/** The steps of one phase, and whether it ended the (OrderedReady) sync. */
export interface PhasePlan {
  /** Steps in the order to run them; pods with nothing to do are left out. */
  readonly steps: readonly PodStep[];
  /** OrderedReady stopped at the last step: later phases do not run this sync. */
  readonly halted: boolean;
}

/** Everything the scaling decisions look at. */
export interface ScalingInput {
  readonly set: StatefulSet;
  readonly split: PodSplit;
  /** The namespace's claims by name, as the cache has them. */
  readonly claims: ClaimsByName;
  readonly now: number;
}

const step = (pod: V1Pod, actions: PodAction[], halt?: HaltReason): PodStep => ({
  ordinal: ordinalOf(pod) ?? -1,
  pod,
  actions,
  ...(halt === undefined ? {} : { halt }),
});

/** Claims to create for the pod, then a failure if one it needs is being deleted. */
function claimActions(set: StatefulSet, pod: V1Pod, claims: ClaimsByName): PodAction[] {
  const ordinal = ordinalOf(pod);
  if (ordinal === undefined) return [];
  const { create, beingDeleted } = missingClaims(set, ordinal, claims);
  const actions: PodAction[] = [];
  if (create.length > 0) actions.push({ kind: 'create-claims', claims: create });
  if (beingDeleted.length > 0)
    actions.push({ kind: 'fail', error: new ClaimBeingDeletedError(beingDeleted) });
  return actions;
}

/**
 * The cached claims with the claim updates among `actions` applied. Created claims stay absent,
 * as they would from the cache until the next sync.
 */
function claimsAfter(claims: ClaimsByName, actions: readonly PodAction[]): ClaimsByName {
  const updated = actions.flatMap((a) => (a.kind === 'update-claims' ? a.claims : []));
  if (updated.length === 0) return claims;
  const next = new Map(claims);
  for (const claim of updated) next.set(claim.metadata?.name ?? '', claim);
  return next;
}

/** The retention-policy writes for the pod's existing claims (always, conflicts included). */
function retentionActions(set: StatefulSet, pod: V1Pod, claims: ClaimsByName): PodAction[] {
  const update = retentionUpdates(set, pod, claims);
  return update.claims.length === 0 && update.conflicting.length === 0
    ? []
    : [{ kind: 'update-claims', claims: update.claims, conflicting: update.conflicting }];
}

/**
 * The in-place repair of an existing pod: identity, then storage (creating its missing claims),
 * then the claims' references; undefined when all three already match. The pod update comes last
 * and is included whenever something was wrong, as upstream (a no-op when only claims were).
 */
function repairActions(set: StatefulSet, pod: V1Pod, claims: ClaimsByName): PodAction[] | undefined {
  if (identityMatches(set, pod) && storageMatches(set, pod) && claimsMatchRetentionPolicy(set, pod, claims)) {
    return undefined;
  }
  let repaired = identityMatches(set, pod) ? pod : withIdentity(set, pod);
  const actions: PodAction[] = [];
  if (!storageMatches(set, repaired)) {
    repaired = withStorage(set, repaired);
    actions.push(...claimActions(set, repaired, claims));
  }
  if (!claimsMatchRetentionPolicy(set, repaired, claims))
    actions.push(...retentionActions(set, repaired, claims));
  actions.push({ kind: 'update-pod', pod: repaired });
  return actions;
}

/**
 * What one replica needs, in upstream's order: a Failed or Succeeded pod is deleted (and halts);
 * a missing pod waits for a stale claim, or gets its claims and is created (halting OrderedReady);
 * a Pending pod gets its missing claims back; OrderedReady halts on a terminating, not Running
 * and Ready, or not yet available pod; finally identity, storage and claim references are repaired
 * in place, which never halts.
 */
export function planReplica(input: ScalingInput, pod: V1Pod): PodStep | undefined {
  const { set, claims } = input;
  const monotonic = !isParallel(set);
  if (isFailed(pod) || isSucceeded(pod)) {
    const actions: PodAction[] = isTerminating(pod)
      ? []
      : [{ kind: 'delete-pod', pod, reason: isFailed(pod) ? 'failed' : 'succeeded' }];
    return step(pod, actions, 'replacing-terminal-pod');
  }
  const actions: PodAction[] = [];
  if (!isCreated(pod)) {
    const ordinal = ordinalOf(pod) ?? -1;
    if (hasStaleClaim(set, ordinal, claims, pod.metadata?.name ?? '')) return step(pod, [], 'stale-claim');
    actions.push(...claimActions(set, pod, claims));
    actions.push({ kind: 'create-pod', pod });
    actions.push(...retentionActions(set, pod, claims));
    // Parallel goes on with this pod, but nothing below applies to one just built.
    return step(pod, actions, 'created');
  }
  let current = claims;
  if (isPending(pod)) {
    const pending = [...claimActions(set, pod, claims), ...retentionActions(set, pod, claims)];
    actions.push(...pending);
    current = claimsAfter(claims, pending);
  }
  if (monotonic) {
    const minReady = minReadySeconds(set);
    const halt: HaltReason | undefined = isTerminating(pod)
      ? 'terminating'
      : !isRunningAndReady(pod)
        ? 'not-running-and-ready'
        : !isRunningAndAvailable(pod, minReady, input.now)
          ? 'not-available'
          : undefined;
    if (halt !== undefined) return step(pod, actions, halt);
  }
  // Parallel reaches the repair after a Pending pod's claim writes: judge it by their result,
  // so the same claims are not written twice in one sync.
  actions.push(...(repairActions(set, pod, current) ?? []));
  return actions.length === 0 ? undefined : step(pod, actions);
}

/** Runs `plan` over pods; OrderedReady stops after the first halting step. */
function runForAll(
  set: StatefulSet,
  pods: readonly V1Pod[],
  plan: (pod: V1Pod) => PodStep | undefined,
): PhasePlan {
  const monotonic = !isParallel(set);
  const steps: PodStep[] = [];
  for (const pod of pods) {
    const next = plan(pod);
    if (next === undefined) continue;
    steps.push(next);
    if (monotonic && next.halt !== undefined) return { steps, halted: true };
  }
  return { steps, halted: false };
}

/** The replica phase: planReplica over the replicas in ordinal order. */
export function planReplicas(input: ScalingInput): PhasePlan {
  return runForAll(input.set, input.split.replicas, (pod) => planReplica(input, pod));
}

/**
 * Before any condemned pod is deleted, its claims' references are brought in line with the
 * policy (whenScaled Delete: the pod becomes their controller), so that deleting the pod cascades
 * to them. Never halts.
 */
export function planCondemnedClaims(input: ScalingInput): PhasePlan {
  const { set, claims } = input;
  return runForAll(set, input.split.condemned, (pod) =>
    claimsMatchRetentionPolicy(set, pod, claims)
      ? undefined
      : step(pod, [{ kind: 'update-claims', ...retentionUpdates(set, pod, claims) }]),
  );
}

/**
 * The condemned phase, highest ordinal first. OrderedReady: a terminating pod halts (the next
 * deletion waits until it is gone); a pod that is not Running and Ready, or not available, halts
 * unless it is the first unavailable pod of the set; otherwise the pod is deleted and the sync
 * ends. Parallel deletes every condemned pod that is not already terminating.
 */
export function planCondemned(input: ScalingInput): PhasePlan {
  const { set } = input;
  const monotonic = !isParallel(set);
  const minReady = minReadySeconds(set);
  const first = firstUnavailablePod(input.split, minReady, input.now);
  return runForAll(set, input.split.condemned, (pod) => {
    if (isTerminating(pod)) return monotonic ? step(pod, [], 'terminating') : undefined;
    if (monotonic && pod !== first) {
      if (!isRunningAndReady(pod)) return step(pod, [], 'not-running-and-ready');
      if (!isRunningAndAvailable(pod, minReady, input.now)) return step(pod, [], 'not-available');
    }
    return step(pod, [{ kind: 'delete-pod', pod, reason: 'scale-down' }], 'deleted');
  });
}
