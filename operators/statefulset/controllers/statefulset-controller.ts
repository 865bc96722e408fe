import type {
  KubernetesObject,
  V1ControllerRevision,
  V1PersistentVolumeClaim,
  V1Pod,
} from '@kubernetes/client-node';
import { ApiError, isAlreadyExists, isConflict, isNotFound } from '../../../sdk/client/errors.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { errorMessage } from '../../../sdk/controller/error-message.ts';
import type { EventMapper } from '../../../sdk/controller/event-source.ts';
import { Expectations } from '../../../sdk/controller/expectations.ts';
import { controllerOf } from '../../../sdk/controller/owner-references.ts';
import {
  ignoreNotFound,
  requeueAfter,
  requestKey,
  type ReconcileContext,
  type Request,
  type Result,
} from '../../../sdk/controller/reconcile.ts';
import { cacheKey } from '../../../sdk/informer/object-key.ts';
import type { Manager } from '../../../sdk/manager/manager.ts';
import { claimChildren, isOwnerCurrent } from '../../deployment/controllers/claim-children.ts';
import { WrittenVersions } from '../../deployment/controllers/written-versions.ts';
import { labelSelectorMatcher, type LabelMatcher } from '../../deployment/logic/label-selector.ts';
import { runInSlowStartBatches } from '../../deployment/logic/slow-start.ts';
import type { StatefulSet, StatefulSetStatus } from '../api/types.ts';
import { typeratorWorkloads, type WorkloadApi } from '../../workload-api.ts';
import { claimEvent, podEvent, type EventVerb } from '../logic/events.ts';
import { revisionsToDelete } from '../logic/history.ts';
import { isMemberOf, parsePodName, STATEFUL_SET_KIND } from '../logic/identity.ts';
import {
  claimOwnerReferences,
  conflictingControllerMessage,
  isClaimOwnerUpToDate,
  type ClaimsByName,
} from '../logic/pvc-retention.ts';
import {
  onRevisionNameTaken,
  revisionTemplate,
  selectRevisions,
  type RevisionSelection,
} from '../logic/revisions.ts';
import {
  STATEFUL_SET_MAX_BATCH_SIZE,
  type PhasePlan,
  type PodAction,
  type PodStep,
} from '../logic/scaling.ts';
import { isParallel, isBeingDeleted } from '../logic/statefulset-spec.ts';
import { availabilityRequeueAfter, calculateStatus, statusNeedsWrite } from '../logic/status.ts';
import { planSync, type SyncPlan } from '../logic/sync-plan.ts';
import type { UpdateOptions } from '../logic/update-strategy.ts';

const CONTROLLER = 'statefulset';
/** A claim we wrote stands in for the cache's copy for at most this long. */
const CLAIM_WRITE_WAIT_MS = 5_000;
/** Tries of a claim's owner-reference update that conflicts (see updateClaimReferences). */
const CLAIM_UPDATE_ATTEMPTS = 3;
/** How many recent versions of each claim the cache delivered are remembered (see claimWrites). */
const CLAIM_VERSIONS_KEPT = 8;

/** What Go's StatusError prints: the apiserver's message alone, without our request line. */
function apiErrorText(error: unknown): string {
  return error instanceof ApiError && error.status.message ? error.status.message : errorMessage(error);
}

/** Options of the StatefulSet controller. */
export interface StatefulSetControllerOptions {
  /** Feature gates of the update strategy (MaxUnavailableStatefulSet, off by default as in 1.34). */
  readonly update?: UpdateOptions;
  /** Workers; default 5. */
  readonly concurrency?: number;
  /** The kind to reconcile: ours (default) or the built-in apps/v1 StatefulSet (drop-in mode). */
  readonly api?: WorkloadApi;
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** A failed write that ends the sync (its event, if any, is already recorded). */
class SyncError extends Error {}

/**
 * The StatefulSet controller (spec §4): claims pods (selector and name) and ControllerRevisions,
 * settles the current and update revisions, runs the plan of logic/sync-plan.ts (OrderedReady one
 * step after the other, Parallel in slow-start batches), writes status, truncates the history and
 * requeues for minReadySeconds. Pod creations and deletions are tracked with expectations so a
 * cache that lags behind our own writes never plans from pods we already created or deleted; the
 * claims we wrote stand in for the cache's copies until it shows them.
 */
export function setupStatefulSetController(
  manager: Manager,
  options: StatefulSetControllerOptions = {},
): void {
  const api = options.api ?? typeratorWorkloads;
  const statefulSetKind = api.statefulSet;
  const sets = manager.client.resource(statefulSetKind);
  const pods = manager.client.resource(kinds.Pod);
  const revisionsApi = manager.client.resource(kinds.ControllerRevision);
  const claimsApi = manager.client.resource(kinds.PersistentVolumeClaim);
  const setCache = manager.cache.informer(statefulSetKind);
  const podCache = manager.cache.informer(kinds.Pod);
  const revisionCache = manager.cache.informer(kinds.ControllerRevision);
  const claimCache = manager.cache.informer(kinds.PersistentVolumeClaim);
  const recorder = manager.eventRecorder('statefulset-controller');
  // Claims are only watched, but created and given ownerReferences too.
  manager.permit({
    apiGroups: [''],
    resources: ['persistentvolumeclaims'],
    verbs: ['create', 'update', 'patch'],
  });
  const expectations = new Expectations();

  const ownedBySet = (object: KubernetesObject) => {
    const owner = controllerOf(object);
    return owner?.kind === STATEFUL_SET_KIND && owner.apiVersion === api.apiVersion ? owner : undefined;
  };

  podCache.events().subscribe((event) => {
    const owner = ownedBySet(event.object);
    if (!owner) return;
    const key = requestKey({ namespace: event.object.metadata?.namespace, name: owner.name });
    if (event.type === 'added' && !event.fromList) expectations.creationObserved(key);
    if (event.type === 'deleted' || event.object.metadata?.deletionTimestamp !== undefined)
      expectations.deletionObserved(key, cacheKey(event.object));
  });

  // Status writes go on top of our previous one while the cache has not shown it yet.
  const written = new WrittenVersions<StatefulSet>();
  setCache.events().subscribe((event) => written.track(event));

  // Claims we created or updated, until the cache delivers that exact version. The cache can
  // deliver it before the write's response arrives, so the versions it delivered lately are kept
  // too: a write the cache has already shown is not laid over it (the volume binder updates new
  // claims right away, and a stale copy would make every update of ours conflict).
  const claimWrites = new Map<string, { claim: V1PersistentVolumeClaim; at: number }>();
  const claimVersionsSeen = new Map<string, { versions: string[]; at: number }>();
  claimCache.events().subscribe((event) => {
    const key = cacheKey(event.object);
    const version = event.object.metadata?.resourceVersion ?? '';
    const now = Date.now();
    const seen = claimVersionsSeen.get(key);
    claimVersionsSeen.set(key, {
      versions: [...(seen?.versions ?? []), version].slice(-CLAIM_VERSIONS_KEPT),
      at: now,
    });
    for (const [other, { at }] of claimVersionsSeen)
      if (now - at >= CLAIM_WRITE_WAIT_MS) claimVersionsSeen.delete(other);
    const write = claimWrites.get(key);
    if (!write) return;
    if (event.type === 'deleted' || write.claim.metadata?.resourceVersion === version)
      claimWrites.delete(key);
  });
  const recordClaimWrite = (claim: V1PersistentVolumeClaim) => {
    const key = cacheKey(claim);
    if (claimVersionsSeen.get(key)?.versions.includes(claim.metadata?.resourceVersion ?? '')) return;
    claimWrites.set(key, { claim, at: Date.now() });
  };

  function claimsOf(set: StatefulSet): ClaimsByName {
    const namespace = set.metadata?.namespace ?? '';
    const claims = new Map<string, V1PersistentVolumeClaim>();
    for (const claim of claimCache.store.byIndex('namespace', namespace))
      claims.set(claim.metadata?.name ?? '', claim);
    const now = Date.now();
    for (const [key, write] of claimWrites) {
      if (now - write.at >= CLAIM_WRITE_WAIT_MS) claimWrites.delete(key);
      else if (write.claim.metadata?.namespace === namespace)
        claims.set(write.claim.metadata.name ?? '', write.claim);
    }
    return claims;
  }

  const selectorMatcher = (set: StatefulSet): LabelMatcher | undefined => {
    try {
      return labelSelectorMatcher(set.spec.selector);
    } catch {
      return undefined;
    }
  };

  // Orphans may be adopted by any set in their namespace whose selector (and, for pods, name) fits.
  function orphanMapper<K extends KubernetesObject>(
    fits: (set: StatefulSet, child: K) => boolean,
  ): EventMapper<K> {
    return (event) => {
      if (controllerOf(event.object)) return [];
      const namespace = event.object.metadata?.namespace;
      return setCache.store
        .byIndex('namespace', namespace ?? '')
        .filter(
          (set) => selectorMatcher(set)?.(event.object.metadata?.labels) === true && fits(set, event.object),
        )
        .map((set) => ({ namespace, name: set.metadata?.name ?? '' }));
    };
  }

  // A claim going away can unblock a pod waiting for a stale claim: sync the set its owners name.
  const claimToSet: EventMapper<V1PersistentVolumeClaim> = (event) => {
    if (event.type !== 'deleted') return [];
    const namespace = event.object.metadata?.namespace;
    return (event.object.metadata?.ownerReferences ?? []).flatMap((ref) => {
      if (ref.kind === STATEFUL_SET_KIND && ref.apiVersion === api.apiVersion)
        return [{ namespace, name: ref.name }];
      const parent = ref.kind === 'Pod' ? parsePodName(ref.name)?.parent : undefined;
      return parent ? [{ namespace, name: parent }] : [];
    });
  };

  const record = (set: StatefulSet, event: { type: 'Normal' | 'Warning'; reason: string; message: string }) =>
    void recorder.record(set, event.type, event.reason, event.message);

  /** Claims children of one kind for the set, verifying the set with a live read at most once. */
  function claimer(set: StatefulSet) {
    let current: Promise<boolean> | undefined;
    const ownerIsCurrent = () => (current ??= isOwnerCurrent(sets, set));
    const namespace = set.metadata?.namespace ?? '';
    return {
      pods: () =>
        claimChildren(set, podCache.store.byIndex('namespace', namespace), pods, ownerIsCurrent, (pod) =>
          isMemberOf(set, pod),
        ),
      revisions: () =>
        claimChildren(set, revisionCache.store.byIndex('namespace', namespace), revisionsApi, ownerIsCurrent),
    };
  }

  /** The update revision (created, renumbered or as it is) and the collision count it took. */
  async function settleUpdateRevision(
    set: StatefulSet,
    selection: RevisionSelection,
  ): Promise<{ revision: V1ControllerRevision; collisionCount: number; created?: V1ControllerRevision }> {
    const choice = selection.update;
    let collisionCount = selection.collisionCount;
    if (choice.kind === 'latest') return { revision: choice.revision, collisionCount };
    if (choice.kind === 'rollback') {
      const revision = await revisionsApi.update({ ...choice.revision, revision: choice.revisionNumber });
      return { revision, collisionCount };
    }
    let attempt = choice.revision;
    for (;;) {
      try {
        const created = await revisionsApi.create(attempt);
        return { revision: created, collisionCount, created };
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
        const existing = await revisionsApi.get({
          namespace: attempt.metadata?.namespace,
          name: attempt.metadata?.name ?? '',
        });
        const outcome = onRevisionNameTaken(set, existing, attempt, collisionCount);
        if (outcome.kind === 'use-existing') return { revision: existing, collisionCount };
        collisionCount = outcome.collisionCount;
        attempt = outcome.revision;
      }
    }
  }

  /**
   * Writes a claim's owner references. The volume binder updates a new claim at about the time we
   * set its references, so a conflict is expected now and then: read the claim and apply the policy
   * to what is there, a few times (as upstream retries on conflicts), before failing the sync.
   */
  async function updateClaimReferences(
    set: StatefulSet,
    pod: V1Pod,
    planned: V1PersistentVolumeClaim,
  ): Promise<V1PersistentVolumeClaim> {
    let claim = planned;
    for (let attempt = 1; ; attempt++) {
      try {
        return await claimsApi.update(claim);
      } catch (error) {
        if (!isConflict(error) || attempt >= CLAIM_UPDATE_ATTEMPTS) throw error;
      }
      const live = await claimsApi.get({
        namespace: planned.metadata?.namespace,
        name: planned.metadata?.name ?? '',
      });
      if (isClaimOwnerUpToDate(set, pod, live)) return live;
      claim = {
        ...live,
        metadata: { ...live.metadata, ownerReferences: claimOwnerReferences(set, pod, live) },
      };
    }
  }

  /** Runs one step's actions in order; throws at the first failure, after its event. */
  async function runStep(set: StatefulSet, key: string, step: PodStep): Promise<void> {
    const setName = set.metadata?.name ?? '';
    const podName = step.pod.metadata?.name ?? '';
    const state = { created: false };
    const fail = (verb: EventVerb, error: unknown): never => {
      record(set, podEvent(verb, setName, podName, apiErrorText(error)));
      throw new SyncError(`${verb} Pod ${podName}: ${apiErrorText(error)}`, { cause: error });
    };
    for (const action of step.actions) await runAction(action);
    // As upstream, a created pod's event comes after its claims' references were set.
    if (state.created) record(set, podEvent('create', setName, podName));

    async function runAction(action: PodAction): Promise<void> {
      switch (action.kind) {
        case 'create-claims': {
          for (const claim of action.claims) {
            try {
              recordClaimWrite(await claimsApi.create(claim));
              record(set, claimEvent('create', setName, podName, claim.metadata?.name ?? ''));
            } catch (error) {
              if (!isAlreadyExists(error))
                record(
                  set,
                  claimEvent('create', setName, podName, claim.metadata?.name ?? '', apiErrorText(error)),
                );
              fail(
                'create',
                new Error(`failed to create PVC ${claim.metadata?.name ?? ''}: ${apiErrorText(error)}`),
              );
            }
          }
          return;
        }
        case 'create-pod': {
          expectations.expectCreations(key, 1);
          try {
            await pods.create(action.pod);
          } catch (error) {
            expectations.creationObserved(key);
            // AlreadyExists: our cache was stale; no event, the next sync sees the pod.
            if (isAlreadyExists(error)) throw new SyncError(apiErrorText(error), { cause: error });
            fail('create', error);
          }
          state.created = true;
          return;
        }
        case 'update-claims': {
          for (const name of action.conflicting)
            record(set, {
              type: 'Warning',
              reason: 'ConflictingController',
              message: conflictingControllerMessage(name),
            });
          for (const claim of action.claims) {
            try {
              recordClaimWrite(await updateClaimReferences(set, step.pod, claim));
            } catch (error) {
              state.created = false;
              // Our copy was stale: let the next sync read the cache's.
              if (isConflict(error)) claimWrites.delete(cacheKey(claim));
              fail(
                'update',
                new Error(
                  `could not update claim ${claim.metadata?.name ?? ''} for delete policy ownerRefs: ${apiErrorText(error)}`,
                ),
              );
            }
          }
          return;
        }
        case 'update-pod': {
          try {
            await pods.update(action.pod);
          } catch (error) {
            fail('update', error);
          }
          record(set, podEvent('update', setName, podName));
          return;
        }
        case 'delete-pod': {
          const podKey = cacheKey(action.pod);
          expectations.expectDeletions(key, [podKey]);
          try {
            await pods.delete(
              { namespace: action.pod.metadata?.namespace, name: podName },
              { preconditions: { uid: action.pod.metadata?.uid ?? '' } },
            );
          } catch (error) {
            expectations.deletionObserved(key, podKey);
            if (action.reason === 'update' && isNotFound(error)) {
              record(set, podEvent('delete', setName, podName, apiErrorText(error)));
              return;
            }
            fail('delete', error);
          }
          record(set, podEvent('delete', setName, podName));
          return;
        }
        case 'fail':
          throw new SyncError(action.error.message, { cause: action.error });
      }
    }
  }

  /** One phase: OrderedReady step by step, Parallel in slow-start batches; throws at a failure. */
  async function runPhase(set: StatefulSet, key: string, phase: PhasePlan | undefined): Promise<void> {
    if (phase === undefined) return;
    if (!isParallel(set)) {
      for (const step of phase.steps) await runStep(set, key, step);
      return;
    }
    const result = await runInSlowStartBatches(
      phase.steps.length,
      async (i) => {
        const step = phase.steps[i];
        if (step) await runStep(set, key, step);
      },
      1,
      STATEFUL_SET_MAX_BATCH_SIZE,
    );
    if (result.error !== undefined) throw asError(result.error);
  }

  /** Runs the plan; returns the update deletions made and the error that ended it, if any. */
  async function execute(
    set: StatefulSet,
    key: string,
    plan: SyncPlan,
  ): Promise<{ updateDeletions: number; error?: unknown }> {
    let updateDeletions = 0;
    try {
      await runPhase(set, key, plan.replicas);
      await runPhase(set, key, plan.condemnedClaims);
      await runPhase(set, key, plan.condemned);
      for (const pod of plan.update?.deletions ?? []) {
        await runStep(set, key, {
          ordinal: -1,
          pod,
          actions: [{ kind: 'delete-pod', pod, reason: 'update' }],
        });
        updateDeletions++;
      }
      return { updateDeletions };
    } catch (error) {
      return { updateDeletions, error };
    }
  }

  async function writeStatus(set: StatefulSet, planned: StatefulSetStatus): Promise<void> {
    const { selector: _computedByApps, ...withoutSelector } = planned;
    const status = api.statusSelector ? planned : withoutSelector;
    if (!statusNeedsWrite(set, status)) return;
    try {
      written.record(await sets.updateStatus({ ...set, status }), Date.now());
    } catch (error) {
      if (!isConflict(error)) throw error;
      // Someone else wrote the set since: write on the live copy once, as upstream retries.
      written.forgetWrite(set.metadata?.uid);
      const live = await sets.get({ namespace: set.metadata?.namespace, name: set.metadata?.name ?? '' });
      written.record(await sets.updateStatus({ ...live, status }), Date.now());
    }
  }

  async function truncateHistory(
    set: StatefulSet,
    revisions: readonly V1ControllerRevision[],
    status: StatefulSetStatus,
    claimedPods: readonly V1Pod[],
  ): Promise<void> {
    const live = {
      ...(status.currentRevision === undefined ? {} : { current: status.currentRevision }),
      ...(status.updateRevision === undefined ? {} : { update: status.updateRevision }),
    };
    for (const revision of revisionsToDelete(set, revisions, live, claimedPods)) {
      await revisionsApi
        .delete({ namespace: revision.metadata?.namespace, name: revision.metadata?.name ?? '' })
        .catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error as Error)));
    }
  }

  async function reconcile(request: Request, context: ReconcileContext): Promise<Result | undefined> {
    const key = requestKey(request);
    const cached = setCache.store.getByName(request.namespace, request.name);
    if (!cached) {
      expectations.delete(key);
      return undefined;
    }
    const set = written.latest(cached, Date.now());
    if (selectorMatcher(set) === undefined) {
      // As upstream: a selector that does not parse is not retried until the set changes.
      context.logger.error({ selector: set.spec.selector }, 'StatefulSet selector does not parse');
      return undefined;
    }
    const claim = claimer(set);
    const claimedPods = await claim.pods();
    const claimedRevisions = await claim.revisions();

    const selection = selectRevisions(set, claimedRevisions);
    const settled = await settleUpdateRevision(set, selection);
    const revisions = settled.created ? [...claimedRevisions, settled.created] : claimedRevisions;
    const update = settled.revision;
    const current = selection.current ?? update;
    const ref = (revision: V1ControllerRevision) => ({
      name: revision.metadata?.name ?? '',
      template: revisionTemplate(revision, set.spec.template),
    });

    // Pods we created or deleted have not all reached the cache: a later event brings us back.
    if (!expectations.satisfied(key)) return undefined;

    const now = Date.now();
    const plan = planSync({
      set,
      pods: claimedPods,
      claims: claimsOf(set),
      currentRevision: ref(current),
      updateRevision: ref(update),
      collisionCount: settled.collisionCount,
      now,
      ...(options.update ? { options: options.update } : {}),
    });
    const outcome = await execute(set, key, plan);
    const counted = isBeingDeleted(set) ? claimedPods : [...plan.split.replicas, ...plan.split.condemned];
    const status =
      outcome.error === undefined
        ? plan.status
        : calculateStatus({
            set,
            pods: counted,
            currentRevision: current.metadata?.name ?? '',
            updateRevision: update.metadata?.name ?? '',
            collisionCount: settled.collisionCount,
            updateDeletions: outcome.updateDeletions,
            now,
          });
    try {
      await writeStatus(set, status);
    } finally {
      await truncateHistory(set, revisions, status, claimedPods);
    }
    if (outcome.error !== undefined) throw asError(outcome.error);
    const requeue = availabilityRequeueAfter(set, status, counted, Date.now());
    return requeue === undefined ? undefined : requeueAfter(requeue);
  }

  manager
    .controller(api.controllerName(CONTROLLER))
    .for(statefulSetKind)
    .owns(kinds.Pod)
    .watches(
      kinds.Pod,
      orphanMapper<V1Pod>((set, pod) => isMemberOf(set, pod)),
    )
    .owns(kinds.ControllerRevision)
    .watches(
      kinds.ControllerRevision,
      orphanMapper<V1ControllerRevision>(() => true),
    )
    .watches(kinds.PersistentVolumeClaim, claimToSet)
    .concurrency(options.concurrency ?? 5)
    .complete(ignoreNotFound(reconcile));
}
