import type { V1Pod } from '@kubernetes/client-node';
import { ApiError, ConflictError, isNotFound } from '../../../sdk/client/errors.ts';
import { apiVersionOf, kinds } from '../../../sdk/client/resource-kind.ts';
import type { EventMapper } from '../../../sdk/controller/event-source.ts';
import { errorMessage } from '../../../sdk/controller/error-message.ts';
import { Expectations } from '../../../sdk/controller/expectations.ts';
import { controllerOf } from '../../../sdk/controller/owner-references.ts';
import {
  ignoreNotFound,
  requeueAfter,
  requestKey,
  type Request,
  type Result,
} from '../../../sdk/controller/reconcile.ts';
import { cacheKey } from '../../../sdk/informer/object-key.ts';
import type { Manager } from '../../../sdk/manager/manager.ts';
import type { ReplicaSet } from '../api/types.ts';
import { typeratorWorkloads, type WorkloadApi } from '../../workload-api.ts';
import { labelSelectorMatcher } from '../logic/label-selector.ts';
import { relatedPodsForRanking } from '../logic/pod-deletion-ranking.ts';
import { isPodActive, isPodTerminating, nextAvailabilityIn } from '../logic/pod-predicates.ts';
import {
  calculateReplicaSetStatus,
  planReplicaChange,
  podForReplicaSet,
  replicaSetAvailabilityRequeue,
} from '../logic/replica-set-sync.ts';
import { runInSlowStartBatches } from '../logic/slow-start.ts';
import { claimChildren, isOwnerCurrent } from './claim-children.ts';
import { sameContent } from './same-content.ts';
import { WrittenVersions } from './written-versions.ts';

const CONTROLLER = 'replicaset';

/** What Go's StatusError prints: the apiserver's message alone, without our request line. */
function apiErrorText(error: unknown): string {
  return error instanceof ApiError && error.status.message ? error.status.message : errorMessage(error);
}

const isNamespaceTerminating = (error: unknown) =>
  error instanceof ApiError &&
  (error.status.details?.causes ?? []).some((cause) => cause.reason === 'NamespaceTerminating');

/**
 * The ReplicaSet controller (spec §3): claims pods by selector and controller reference, creates
 * missing pods in slow-start batches and deletes surplus ones in ranked order, under expectations
 * so a cache that lags behind its own writes never causes a second batch, then writes status.
 */
export interface ReplicaSetControllerOptions {
  /**
   * Report `status.terminatingReplicas`, as upstream does behind the DeploymentReplicaSetTerminatingReplicas
   * feature gate (alpha, off by default in Kubernetes 1.34). Off, a pod that finishes terminating
   * changes nothing, so it costs no status write.
   */
  readonly terminatingReplicas?: boolean;
  /** The kinds to reconcile: ours (default) or the built-in apps/v1 ones (drop-in mode). */
  readonly api?: WorkloadApi;
}

export function setupReplicaSetController(manager: Manager, options: ReplicaSetControllerOptions = {}): void {
  const api = options.api ?? typeratorWorkloads;
  const replicaSetKind = api.replicaSet;
  const replicaSets = manager.client.resource(replicaSetKind);
  const pods = manager.client.resource(kinds.Pod);
  const rsCache = manager.cache.informer(replicaSetKind);
  const podCache = manager.cache.informer(kinds.Pod);
  const recorder = manager.eventRecorder('replicaset-controller');
  const expectations = new Expectations();

  // Lower expectations as the cache catches up, before the resulting reconcile runs.
  podCache.events().subscribe((event) => {
    const owner = controllerOf(event.object);
    if (owner?.kind !== replicaSetKind.kind || owner.apiVersion !== apiVersionOf(replicaSetKind)) return;
    const key = requestKey({ namespace: event.object.metadata?.namespace, name: owner.name });
    if (event.type === 'added' && !event.fromList) expectations.creationObserved(key);
    // A pod counts as deleted once it is terminating, as upstream's pod update handler does: a
    // node may take a while to finish it, and the next scale-down need not wait for that.
    if (event.type === 'deleted' || event.object.metadata?.deletionTimestamp !== undefined)
      expectations.deletionObserved(key, cacheKey(event.object));
  });

  // Status writes go on top of our previous one while the cache has not shown it yet; writing on
  // the cached copy would fail on a conflict with ourselves and retry with backoff.
  const written = new WrittenVersions<ReplicaSet>();
  rsCache.events().subscribe((event) => written.track(event));

  // An orphan pod may be adopted by any ReplicaSet in its namespace whose selector matches it.
  const orphanToSelectors: EventMapper<V1Pod> = (event) => {
    if (controllerOf(event.object)) return [];
    const namespace = event.object.metadata?.namespace;
    return rsCache.store
      .byIndex('namespace', namespace ?? '')
      .filter((rs) => labelSelectorMatcher(rs.spec.selector)(event.object.metadata?.labels))
      .map((rs) => ({ namespace, name: rs.metadata?.name ?? '' }));
  };

  const claimPods = (rs: ReplicaSet): Promise<V1Pod[]> =>
    claimChildren(rs, podCache.store.byIndex('namespace', rs.metadata?.namespace ?? ''), pods, () =>
      isOwnerCurrent(replicaSets, rs),
    );

  /** The pods whose per-node counts rank `rs`'s pods for deletion. */
  function relatedPods(rs: ReplicaSet): V1Pod[] {
    const namespace = rs.metadata?.namespace ?? '';
    return relatedPodsForRanking(
      rs,
      rsCache.store.byIndex('namespace', namespace),
      podCache.store.byIndex('namespace', namespace),
    );
  }

  /** Creates one pod, recording an event per call as kube-controller-manager's pod control does. */
  async function createPod(rs: ReplicaSet, pod: V1Pod): Promise<void> {
    try {
      const created = await pods.create(pod);
      void recorder.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name ?? ''}`);
    } catch (error) {
      // Every create fails in a terminating namespace: neither an event nor a failure.
      if (isNamespaceTerminating(error)) return;
      void recorder.record(rs, 'Warning', 'FailedCreate', `Error creating: ${apiErrorText(error)}`);
      throw error;
    }
  }

  /** Deletes one pod (NotFound is not an error), recording an event unless it was already gone. */
  async function deletePod(rs: ReplicaSet, pod: V1Pod): Promise<void> {
    const name = pod.metadata?.name ?? '';
    try {
      await pods.delete(
        { namespace: pod.metadata?.namespace, name },
        { preconditions: { uid: pod.metadata?.uid ?? '' } },
      );
    } catch (error) {
      if (isNotFound(error)) throw error;
      void recorder.record(rs, 'Warning', 'FailedDelete', `Error deleting: ${apiErrorText(error)}`);
      throw new Error(`unable to delete pods: ${apiErrorText(error)}`, { cause: error });
    }
    void recorder.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
  }

  /** Creates or deletes pods; returns the error to report, and the pods it deleted. */
  async function manageReplicas(
    rs: ReplicaSet,
    key: string,
    active: readonly V1Pod[],
  ): Promise<{ error?: string; deleted: V1Pod[] }> {
    const change = planReplicaChange(rs, active, relatedPods(rs), Date.now());
    if (change.kind === 'create') {
      expectations.expectCreations(key, change.count);
      const template = podForReplicaSet(rs);
      const result = await runInSlowStartBatches(change.count, () => createPod(rs, template));
      // Calls that failed or were skipped will never show up in the cache.
      if (result.successes < change.count)
        expectations.creationObserved(key, change.count - result.successes);
      if (result.error !== undefined) return { error: apiErrorText(result.error), deleted: [] };
    }
    if (change.kind === 'delete') {
      const victims = change.pods.map((pod) => cacheKey(pod));
      expectations.expectDeletions(key, victims);
      const results = await Promise.allSettled(change.pods.map((pod) => deletePod(rs, pod)));
      let failure: string | undefined;
      const deleted: V1Pod[] = [];
      results.forEach((result, i) => {
        const pod = change.pods[i];
        if (result.status === 'fulfilled') {
          if (pod) deleted.push(pod);
          return;
        }
        expectations.deletionObserved(key, victims[i] ?? '');
        if (!isNotFound(result.reason)) failure ??= errorMessage(result.reason);
      });
      return failure ? { error: failure, deleted } : { deleted };
    }
    return { deleted: [] };
  }

  async function reconcile(request: Request): Promise<Result | undefined> {
    const key = requestKey(request);
    const rs = rsCache.store.getByName(request.namespace, request.name);
    if (!rs) {
      expectations.delete(key);
      return undefined;
    }
    const claimed = await claimPods(rs);
    let active = claimed.filter(isPodActive);
    let terminating = claimed.filter(isPodTerminating);
    let manageError: string | undefined;
    if (expectations.satisfied(key) && rs.metadata?.deletionTimestamp === undefined) {
      const managed = await manageReplicas(rs, key, active);
      manageError = managed.error;
      // Pods just deleted are terminating, not available: a status that still counted them would
      // let the Deployment controller scale down more than minAvailable allows.
      if (managed.deleted.length > 0) {
        const gone = new Set(managed.deleted);
        active = active.filter((pod) => !gone.has(pod));
        terminating = [...terminating, ...managed.deleted];
      }
    }
    const now = Date.now();
    const status = calculateReplicaSetStatus(rs, active, now, {
      ...(options.terminatingReplicas ? { terminatingPods: terminating } : {}),
      ...(manageError ? { manageError } : {}),
    });
    const latest = written.latest(rs, now);
    if (!sameContent(status, latest.status)) {
      const updated = await replicaSets.updateStatus({ ...latest, status }).catch((error: unknown) => {
        // Someone else wrote it since: the retry goes on the cache's copy, which will be newer.
        if (error instanceof ConflictError) written.forgetWrite(rs.metadata?.uid);
        throw error;
      });
      written.record(updated, Date.now());
    }
    if (manageError) throw new Error(manageError); // retried with backoff
    const requeue =
      nextAvailabilityIn(active, rs.spec.minReadySeconds ?? 0, now) ??
      replicaSetAvailabilityRequeue(rs, status);
    return requeue === undefined ? undefined : requeueAfter(requeue);
  }

  manager
    .controller(api.controllerName(CONTROLLER))
    .for(replicaSetKind)
    .owns(kinds.Pod)
    .watches(kinds.Pod, orphanToSelectors)
    .concurrency(5)
    .complete(ignoreNotFound(reconcile));
}
