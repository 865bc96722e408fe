import type { V1Pod } from '@kubernetes/client-node';
import { AlreadyExistsError, isNotFound } from '../../../sdk/client/errors.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { errorMessage } from '../../../sdk/controller/error-message.ts';
import type { EventMapper } from '../../../sdk/controller/event-source.ts';
import { controllerOf } from '../../../sdk/controller/owner-references.ts';
import {
  ignoreNotFound,
  requeueAfter,
  type Request,
  type Result,
} from '../../../sdk/controller/reconcile.ts';
import type { Manager } from '../../../sdk/manager/manager.ts';
import type { Deployment, DeploymentStatus, ReplicaSet } from '../api/types.ts';
import { typeratorWorkloads, type WorkloadApi } from '../../workload-api.ts';
import {
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  REVISION_ANNOTATION,
} from '../logic/annotations.ts';
import { replicaSetCreateErrorCondition, setDeploymentCondition } from '../logic/conditions.ts';
import {
  deploymentBookkeeping,
  isOurNewReplicaSet,
  newReplicaSetFor,
  nextCollisionCount,
  syncedNewReplicaSet,
} from '../logic/new-replica-set.ts';
import { ownersOfOrphan } from '../logic/orphan-owners.ts';
import { planScale } from '../logic/proportional-scaling.ts';
import { planRecreateStep } from '../logic/recreate.ts';
import { splitReplicaSets } from '../logic/replica-sets.ts';
import { planRollback } from '../logic/rollback.ts';
import { planRollingStep } from '../logic/rolling.ts';
import { scaledReplicaSet, scalingEventMessage, type ScaleAction } from '../logic/scale-action.ts';
import {
  deploymentComplete,
  pausedConditions,
  syncDeploymentStatus,
  syncRolloutStatus,
  type StatusUpdate,
} from '../logic/status.ts';
import { strategyType } from '../logic/deployment-spec.ts';
import { chooseSyncPath, cleansUpInSync } from '../logic/sync-path.ts';
import { replicaSetsToCleanUp } from '../logic/cleanup.ts';
import { claimChildren, isOwnerCurrent } from './claim-children.ts';
import { WrittenVersions } from './written-versions.ts';
import { sameContent } from './same-content.ts';

const CONTROLLER = 'deployment';
/** How soon a sync that waits for the cache (or a ReplicaSet's status) to catch up tries again. */
const CACHE_WAIT_RETRY_MS = 500;

/**
 * The Deployment controller (spec §2), as the upstream sync reads: claim ReplicaSets, pick the
 * sync path in priority order (selector, deletion, pause, rollback, scaling event, strategy),
 * take one step, write, and sync status. Every decision is a pure function in ../logic; this file
 * only reads the cache and writes the results.
 */
export function setupDeploymentController(
  manager: Manager,
  options: { readonly api?: WorkloadApi } = {},
): void {
  const api = options.api ?? typeratorWorkloads;
  const { deployment: deploymentKind, replicaSet: replicaSetKind } = api;
  const deployments = manager.client.resource(deploymentKind);
  const replicaSets = manager.client.resource(replicaSetKind);
  const deploymentCache = manager.cache.informer(deploymentKind);
  const rsCache = manager.cache.informer(replicaSetKind);
  const podCache = manager.cache.informer(kinds.Pod);
  const recorder = manager.eventRecorder('deployment-controller');
  const written = new WrittenVersions();
  rsCache.events().subscribe((event) => written.track(event));
  // The Deployment's own writes (status, revision annotation) too: a sync that read it from before
  // its previous sync's status write would fail on a conflict and retry with backoff; the write's
  // watch event brings it back anyway.
  deploymentCache.events().subscribe((event) => written.track(event));
  const recordDeploymentWrite = (d: Deployment) => written.record(d, Date.now());

  // A deleted pod can unblock a Recreate rollout waiting for old pods to end; other strategies
  // don't care (as upstream, which enqueues only Recreate deployments here).
  const podToDeployment: EventMapper<V1Pod> = (event) => {
    if (event.type !== 'deleted') return [];
    const namespace = event.object.metadata?.namespace;
    const rsRef = controllerOf(event.object);
    if (rsRef?.kind !== replicaSetKind.kind) return [];
    const rs = rsCache.store.getByName(namespace, rsRef.name);
    const deploymentRef = rs && controllerOf(rs);
    const d = deploymentRef && deploymentCache.store.getByName(namespace, deploymentRef.name);
    return d && strategyType(d) === 'Recreate' ? [{ namespace, name: deploymentRef.name }] : [];
  };

  // An orphan ReplicaSet (no controller; maybe a non-controller ref) may be adopted by any
  // deployment selecting it, and nothing else would tell that deployment it appeared.
  const orphanToDeployments: EventMapper<ReplicaSet> = (event) =>
    ownersOfOrphan(
      event.object,
      deploymentCache.store.byIndex('namespace', event.object.metadata?.namespace ?? ''),
    ).map((d) => ({ namespace: d.metadata?.namespace, name: d.metadata?.name ?? '' }));

  /** Writes scale actions (replicas plus desired/max annotations), with ScalingReplicaSet events. */
  async function applyScaleActions(d: Deployment, actions: readonly ScaleAction[]): Promise<boolean> {
    let scaled = false;
    for (const action of actions) {
      const next = scaledReplicaSet(d, action.replicaSet, action.to);
      if (!next) continue;
      // A merge patch of just the size and its annotations (guarded by UID): an Update from the
      // cache would conflict with the ReplicaSet controller's concurrent status writes, and the
      // retry would plan a different step from what upstream takes.
      const annotations = next.metadata?.annotations ?? {};
      const patched = await replicaSets.patch(
        { namespace: next.metadata?.namespace, name: next.metadata?.name ?? '' },
        {
          metadata: {
            uid: next.metadata?.uid,
            annotations: {
              [DESIRED_REPLICAS_ANNOTATION]: annotations[DESIRED_REPLICAS_ANNOTATION],
              [MAX_REPLICAS_ANNOTATION]: annotations[MAX_REPLICAS_ANNOTATION],
            },
          },
          spec: { replicas: next.spec.replicas },
        },
        { type: 'merge' },
      );
      written.record(patched, Date.now());
      scaled = true;
      const message = scalingEventMessage(action);
      if (message) void recorder.record(d, 'Normal', 'ScalingReplicaSet', message);
    }
    return scaled;
  }

  /** Creates the new ReplicaSet; on a name clash with someone else's, bumps collisionCount and retries later. */
  async function createNewReplicaSet(
    d: Deployment,
    oldRSs: readonly ReplicaSet[],
    now: number,
  ): Promise<ReplicaSet> {
    const desired = newReplicaSetFor(d, oldRSs);
    try {
      const created = await replicaSets.create(desired);
      const message = scalingEventMessage({ replicaSet: created, from: 0, to: created.spec.replicas ?? 0 });
      if (message) void recorder.record(d, 'Normal', 'ScalingReplicaSet', message);
      return created;
    } catch (error) {
      if (error instanceof AlreadyExistsError) {
        const existing = await replicaSets.get({
          namespace: d.metadata?.namespace,
          name: desired.metadata?.name ?? '',
        });
        if (isOurNewReplicaSet(d, existing)) return existing;
        await writeStatus(d, { ...d.status, collisionCount: nextCollisionCount(d) });
        throw new Error(
          `hash collision for ReplicaSet ${desired.metadata?.name ?? ''}; retrying with collisionCount ${nextCollisionCount(d)}`,
          { cause: error },
        );
      }
      const conditions = setDeploymentCondition(
        d.status?.conditions,
        replicaSetCreateErrorCondition(desired.metadata?.name ?? '', errorMessage(error), now),
      );
      await writeStatus(d, { ...d.status, conditions });
      await recorder.record(
        d,
        'Warning',
        'FailedCreate',
        `Failed to create new replica set "${desired.metadata?.name ?? ''}": ${errorMessage(error)}`,
      );
      throw error;
    }
  }

  /** Deletes old ReplicaSets beyond revisionHistoryLimit (only scaled-down, settled ones). */
  async function cleanupOldReplicaSets(d: Deployment, oldRSs: readonly ReplicaSet[]): Promise<void> {
    for (const rs of replicaSetsToCleanUp(d, oldRSs)) {
      written.forget(rs.metadata?.uid);
      await replicaSets
        .delete(
          { namespace: rs.metadata?.namespace, name: rs.metadata?.name ?? '' },
          { preconditions: { uid: rs.metadata?.uid ?? '' } },
        )
        .catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error as Error)));
    }
  }

  /** Status goes through /status; only write when it changed. */
  async function writeStatus(d: Deployment, status: DeploymentStatus): Promise<Deployment> {
    if (sameContent(status, d.status)) return d;
    const updated = await deployments.updateStatus({ ...d, status });
    recordDeploymentWrite(updated);
    return updated;
  }

  /** A CRD's /status drops metadata, so the revision annotation is patched on the object itself. */
  async function writeRevision(d: Deployment, revision: string): Promise<Deployment> {
    const patched = await deployments.patch(
      { namespace: d.metadata?.namespace, name: d.metadata?.name ?? '' },
      { metadata: { annotations: { [REVISION_ANNOTATION]: revision } } },
      { type: 'merge' },
    );
    recordDeploymentWrite(patched);
    return patched;
  }

  async function finishWithStatus(d: Deployment, update: StatusUpdate): Promise<Result | undefined> {
    await writeStatus(d, update.status);
    return update.requeueAfterMs === undefined ? undefined : requeueAfter(update.requeueAfterMs);
  }

  /** Get or create the new ReplicaSet, sync its annotations, and record revision and Progressing. */
  async function prepareNewReplicaSet(
    d: Deployment,
    newRS: ReplicaSet | undefined,
    oldRSs: readonly ReplicaSet[],
    now: number,
  ): Promise<{ d: Deployment; newRS: ReplicaSet }> {
    let current = newRS;
    const created = current === undefined;
    if (!current) current = await createNewReplicaSet(d, oldRSs, now);
    else {
      const synced = syncedNewReplicaSet(d, current, oldRSs);
      if (synced) {
        current = await replicaSets.update(synced);
        written.record(current, Date.now());
      }
    }
    let next = d;
    const bookkeeping = deploymentBookkeeping(d, current, created, now);
    // Keep the in-memory status (it may carry conditions not written yet) over the server's copy.
    if (bookkeeping?.revision !== undefined)
      next = { ...(await writeRevision(d, bookkeeping.revision)), ...(d.status ? { status: d.status } : {}) };
    if (bookkeeping?.conditions)
      next = { ...next, status: { ...next.status, conditions: bookkeeping.conditions } };
    return { d: next, newRS: current };
  }

  async function reconcile(request: Request): Promise<Result | undefined> {
    const cached = deploymentCache.store.getByName(request.namespace, request.name);
    if (!cached) return undefined;
    const now = Date.now();
    // Where the cache has not shown our last write to an object yet, what that write returned is
    // the newest copy: plan from it rather than from sizes and a status we already changed.
    let d = written.latest(cached, now);
    const candidates = rsCache.store
      .byIndex('namespace', d.metadata?.namespace ?? '')
      .map((rs) => written.latest(rs, now));
    const owned = await claimChildren(d, candidates, replicaSets, () => isOwnerCurrent(deployments, d));
    // A ReplicaSet whose status predates its spec (its controller has not caught up with our last
    // resize) would report pods as available that are being removed: planning from it could take
    // the deployment below minAvailable. Only a rolling update's scale-up of the new ReplicaSet,
    // which upstream bounds by spec sizes alone, goes ahead; everything else waits for the status
    // update, which brings us back (or the retry does).
    const waitForStatus = () => requeueAfter(CACHE_WAIT_RETRY_MS);
    const lagging = owned.some(statusLagsSpec);
    const { newRS, oldRSs } = splitReplicaSets(d, owned);
    const allRSs = newRS ? [...oldRSs, newRS] : [...oldRSs];
    const path = chooseSyncPath(d, newRS, oldRSs);
    if (lagging && path !== 'rolling') return waitForStatus();

    if (path === 'selecting-all') {
      await recorder.record(
        d,
        'Warning',
        'SelectingAll',
        'This deployment is selecting all pods. A non-empty selector is required.',
      );
      await writeStatus(d, { ...d.status, observedGeneration: d.metadata?.generation ?? 0 });
      return undefined;
    }
    if (path === 'status-only') return finishWithStatus(d, syncDeploymentStatus(d, allRSs, newRS, now));

    const paused = pausedConditions(d, now);
    // Written on its own, before the sync's status, as upstream's checkPausedConditions does.
    if (paused) d = await writeStatus(d, { ...d.status, conditions: paused });

    if (path === 'sync') {
      // Like upstream's getAllReplicaSetsAndSyncRevision without creating: an existing new RS
      // (e.g. a template reverted while paused) gets its revision, and so does the Deployment.
      let current = newRS;
      if (current) ({ d, newRS: current } = await prepareNewReplicaSet(d, current, oldRSs, now));
      await applyScaleActions(d, planScale(d, current, oldRSs));
      if (cleansUpInSync(d)) await cleanupOldReplicaSets(d, oldRSs);
      return finishWithStatus(
        d,
        syncDeploymentStatus(d, current ? [...oldRSs, current] : oldRSs, current, now),
      );
    }

    if (path === 'rollback') {
      // As upstream, revisions are synced first, creating the new ReplicaSet if the template has
      // none (e.g. changed while paused): "revision 0" means the one before the newest, counting it.
      const before = d.status;
      const prepared = await prepareNewReplicaSet(d, newRS, oldRSs, now);
      // A created ReplicaSet's Progressing condition is written at once, as upstream does.
      d = await writeStatus(
        { ...prepared.d, ...(before ? { status: before } : {}) },
        prepared.d.status ?? {},
      );
      const plan = planRollback(d, [...oldRSs, prepared.newRS]);
      if (plan) {
        recordDeploymentWrite(await deployments.update(plan.deployment));
        await recorder.record(d, plan.event.type, plan.event.reason, plan.event.message);
      }
      return undefined;
    }

    if (path === 'recreate') {
      const podsByRsUid = new Map(
        allRSs.map((rs) => [
          rs.metadata?.uid ?? '',
          podCache.store.byIndex('controller', rs.metadata?.uid ?? ''),
        ]),
      );
      const step = planRecreateStep(d, newRS, oldRSs, podsByRsUid);
      if (step.kind === 'scale-down-old') {
        await applyScaleActions(d, step.actions);
        return finishWithStatus(d, syncRolloutStatus(d, allRSs, newRS, now));
      }
      if (step.kind === 'wait-for-old-pods')
        return finishWithStatus(d, syncRolloutStatus(d, allRSs, newRS, now));
      const prepared = await prepareNewReplicaSet(d, newRS, oldRSs, now);
      d = prepared.d;
      if (step.action) await applyScaleActions(d, [{ ...step.action, replicaSet: prepared.newRS }]);
      const all = [...oldRSs, prepared.newRS];
      if (deploymentComplete(d, d.status ?? {})) await cleanupOldReplicaSets(d, oldRSs);
      return finishWithStatus(d, syncRolloutStatus(d, all, prepared.newRS, now));
    }

    // RollingUpdate.
    const prepared = await prepareNewReplicaSet(d, newRS, oldRSs, now);
    d = prepared.d;
    const all = [...oldRSs, prepared.newRS];
    const step = planRollingStep(d, oldRSs, prepared.newRS);
    if (lagging && !(step.kind === 'scale-new' && step.actions.every((a) => a.to > a.from)))
      return waitForStatus();
    if (step.kind !== 'idle' && (await applyScaleActions(d, step.actions))) {
      return finishWithStatus(d, syncRolloutStatus(d, all, prepared.newRS, now));
    }
    if (deploymentComplete(d, d.status ?? {})) await cleanupOldReplicaSets(d, oldRSs);
    return finishWithStatus(d, syncRolloutStatus(d, all, prepared.newRS, now));
  }

  manager
    .controller(api.controllerName(CONTROLLER))
    .for(deploymentKind)
    .owns(replicaSetKind)
    .watches(replicaSetKind, orphanToDeployments)
    .watches(kinds.Pod, podToDeployment)
    .concurrency(5)
    .complete(ignoreNotFound(reconcile));
}

/** The ReplicaSet's status does not yet describe its current generation. */
function statusLagsSpec(rs: ReplicaSet): boolean {
  return (rs.status?.observedGeneration ?? 0) < (rs.metadata?.generation ?? 0);
}
