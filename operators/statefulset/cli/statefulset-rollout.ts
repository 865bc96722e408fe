import type { V1ControllerRevision, V1PodTemplateSpec } from '@kubernetes/client-node';
import { kinds, resourceKind } from '../../../sdk/client/resource-kind.ts';
import { controllerOf } from '../../../sdk/controller/owner-references.ts';
import {
  RolloutError,
  type RolloutContext,
  type RolloutRevision,
  type RolloutStatus,
  type RolloutWorkload,
} from '../../../sdk/rollout/index.ts';
import { canonicalJson } from '../../deployment/logic/hash.ts';
import { CHANGE_CAUSE_ANNOTATION } from '../../deployment/logic/annotations.ts';
import type { StatefulSet } from '../api/types.ts';
// Revisions are read the way the controller writes them (data = a patch replacing spec.template),
// so `history` and `undo` agree with the controller about which revision holds which template.
import { revisionTemplate, sortRevisions } from '../logic/revisions.ts';
import { formatLabelSelector } from '../logic/scale-selector.ts';
import { desiredReplicas, rollingUpdateStrategy, updateStrategyType } from '../logic/statefulset-spec.ts';

// The StatefulSet's side of `typerator rollout` (sdk/rollout runs the command): kubectl's
// StatefulSetStatusViewer, StatefulSetHistoryViewer and StatefulSetRollbacker as of v1.34, over
// the ControllerRevisions a set controls, for our kind and for the built-in apps/v1 one (same shape).
//
// kubectl reads a built-in set after the apiserver defaulted it; ours is not defaulted, so the
// spec is read through the controller's accessors, which apply the same defaults (a set that left
// out the strategy gets RollingUpdate with partition 0; an explicit `type: RollingUpdate` without
// a rollingUpdate block gets none, and kubectl then reports by revision instead of by partition).

/**
 * kubectl's reading of a StatefulSet's rollout: only RollingUpdate sets roll out; wait until the
 * controller has seen the latest spec and every replica is ready; then, with a rollingUpdate block,
 * until the pods from the partition up are updated; without one, until the current revision is the
 * update revision. Throws RolloutError for OnDelete. `kubectl rollout status --revision` applies to
 * Deployments only and is ignored here, as kubectl ignores it.
 */
export function statefulSetRolloutStatus(set: StatefulSet): RolloutStatus {
  if (updateStrategyType(set) !== 'RollingUpdate')
    throw new RolloutError('rollout status is only available for RollingUpdate strategy type');
  const status = set.status;
  const observed = status?.observedGeneration ?? 0;
  if (observed === 0 || (set.metadata?.generation ?? 0) > observed)
    return { message: 'Waiting for statefulset spec update to be observed...', done: false };
  const replicas = desiredReplicas(set);
  const ready = status?.readyReplicas ?? 0;
  if (ready < replicas)
    return { message: `Waiting for ${replicas - ready} pods to be ready...`, done: false };
  const updated = status?.updatedReplicas ?? 0;
  const rollingUpdate = rollingUpdateStrategy(set);
  if (rollingUpdate !== undefined) {
    const toUpdate = replicas - rollingUpdate.partition;
    if (updated < toUpdate)
      return {
        message: `Waiting for partitioned roll out to finish: ${updated} out of ${toUpdate} new pods have been updated...`,
        done: false,
      };
    return { message: `partitioned roll out complete: ${updated} new pods have been updated...`, done: true };
  }
  const updateRevision = status?.updateRevision ?? '';
  if (updateRevision !== (status?.currentRevision ?? ''))
    return {
      message: `waiting for statefulset rolling update to complete ${updated} pods at revision ${updateRevision}...`,
      done: false,
    };
  return {
    message: `statefulset rolling update complete ${status?.currentReplicas ?? 0} pods at revision ${updateRevision}...`,
    done: true,
  };
}

/**
 * The template a revision restores when applied to `set`: its data replaces spec.template, and
 * data without a template (which the controller never writes) leaves the set's own.
 */
function templateAt(set: StatefulSet, revision: V1ControllerRevision): V1PodTemplateSpec {
  return revisionTemplate(revision, set.spec.template);
}

/** kubectl's history of a StatefulSet: its ControllerRevisions, each with its change-cause and template. */
export function statefulSetHistory(
  set: StatefulSet,
  revisions: readonly V1ControllerRevision[],
): RolloutRevision[] {
  return revisions.map((revision) => {
    const changeCause = revision.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION];
    return {
      revision: BigInt(revision.revision),
      template: templateAt(set, revision),
      ...(changeCause === undefined ? {} : { changeCause }),
    };
  });
}

/** What `rollout undo` does to a StatefulSet: nothing (already there) or a JSON patch of its template. */
export type StatefulSetUndoPlan =
  | { readonly kind: 'skip'; readonly revision: bigint }
  | { readonly kind: 'patch'; readonly revision: bigint; readonly patch: readonly object[] };

/**
 * kubectl's StatefulSet rollback: `toRevision` among the set's revisions, or for 0 the one before
 * the newest; skipped when the set's template already equals that revision's (compared as the
 * controller compares revisions, canonically); otherwise the revision's template replaces the
 * set's. kubectl sends the revision's data as a strategic-merge patch, which a custom resource
 * does not accept; a JSON patch replacing spec.template has the same effect on either kind.
 */
export function planStatefulSetUndo(
  set: StatefulSet,
  revisions: readonly V1ControllerRevision[],
  toRevision: bigint,
): StatefulSetUndoPlan {
  const notFound = () =>
    new RolloutError(`unable to find specified revision ${toRevision.toString()} in history`);
  if (toRevision < 0n) throw notFound();
  if (toRevision === 0n && revisions.length <= 1) throw new RolloutError('no last revision to roll back to');
  const target =
    toRevision === 0n
      ? sortRevisions(revisions).at(-2)
      : revisions.find((revision) => BigInt(revision.revision) === toRevision);
  if (target === undefined) throw notFound();
  const revision = BigInt(target.revision);
  const template = templateAt(set, target);
  if (canonicalJson(template) === canonicalJson(set.spec.template)) return { kind: 'skip', revision };
  return { kind: 'patch', revision, patch: [{ op: 'replace', path: '/spec/template', value: template }] };
}

/** The ControllerRevisions the set selects and controls, as kubectl lists them. */
async function controlledRevisions(
  set: StatefulSet,
  { client, namespace }: RolloutContext,
): Promise<V1ControllerRevision[]> {
  const uid = set.metadata?.uid;
  const listed = await client
    .resource(kinds.ControllerRevision)
    .list({ namespace, labelSelector: formatLabelSelector(set.spec.selector) });
  return listed.items.filter((revision) => uid !== undefined && controllerOf(revision)?.uid === uid);
}

/** The rollout commands for the StatefulSet of `group` (`apps.typerator.dev` or `apps`), answering to `names`. */
export function statefulSetRollout(group: string, names: readonly string[]): RolloutWorkload<StatefulSet> {
  const setKind = resourceKind<StatefulSet>(`${group}/v1`, 'StatefulSet', 'statefulsets');
  return {
    kind: setKind,
    names,
    status: (set) => statefulSetRolloutStatus(set),
    history: async (set, context) => statefulSetHistory(set, await controlledRevisions(set, context)),
    async undo(set, toRevision, context) {
      const plan = planStatefulSetUndo(set, await controlledRevisions(set, context), toRevision);
      if (plan.kind === 'skip') return { outcome: 'skipped', revision: plan.revision };
      await context.client
        .resource(setKind)
        .patch({ namespace: context.namespace, name: set.metadata?.name ?? '' }, plan.patch, {
          type: 'json',
        });
      return { outcome: 'rolled-back', revision: plan.revision };
    },
  };
}

/**
 * Our StatefulSet (`statefulset`, `statefulsets`, `tsts`, `statefulset.apps.typerator.dev`) and the
 * built-in one (`statefulset.apps`), whose ControllerRevisions have the same shape.
 */
export const statefulSetRollouts: readonly RolloutWorkload<StatefulSet>[] = [
  statefulSetRollout('apps.typerator.dev', ['statefulset', 'statefulsets', 'tsts']),
  statefulSetRollout('apps', ['statefulset.apps', 'statefulsets.apps']),
];
