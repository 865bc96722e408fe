import type { V1ObjectMeta, V1PodTemplateSpec } from '@kubernetes/client-node';
import { resourceKind, type ResourceKind } from '../../../sdk/client/resource-kind.ts';
import { controllerOf } from '../../../sdk/controller/owner-references.ts';
import {
  RolloutError,
  type RolloutContext,
  type RolloutRevision,
  type RolloutStatus,
  type RolloutWorkload,
} from '../../../sdk/rollout/index.ts';
// The rollout rules (revisions, the hash label, the annotations a rollback keeps) are the ones the
// operator's controller applies; sharing them keeps `undo` and the controller in agreement about
// which ReplicaSet runs which template.
import { CHANGE_CAUSE_ANNOTATION, REVISION_ANNOTATION } from '../logic/annotations.ts';
import { templatesEqualIgnoringHash, withoutHashLabel } from '../logic/hash.ts';
import { annotationsForRollback, parseInt64 } from '../logic/revisions.ts';

// The Deployment's side of `typerator rollout` (sdk/rollout runs the command): kubectl's
// DeploymentStatusViewer, DeploymentHistoryViewer and DeploymentRollbacker, over the ReplicaSets
// a Deployment controls, for our kind and for the built-in apps/v1 one, which has the same shape.

/** The apps/v1-shaped Deployment fields the rollout commands read. */
export interface RolloutDeployment {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  spec: { replicas?: number; paused?: boolean; template: V1PodTemplateSpec };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    conditions?: { type: string; status: string; reason?: string }[];
  };
}

/** The ReplicaSet fields `undo` reads. */
export interface RolloutReplicaSet {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  spec: { template?: V1PodTemplateSpec };
}

/**
 * kubectl's reading of a Deployment's rollout: wait until the controller has seen the latest spec,
 * then until every replica is updated, old replicas are gone and the updated ones are available.
 * Throws RolloutError when the progress deadline was exceeded or `revision` is not the running one.
 */
export function rolloutStatus(deployment: RolloutDeployment, revision?: bigint): RolloutStatus {
  const name = deployment.metadata?.name ?? '';
  if (revision !== undefined && revision > 0n) {
    const running = parseInt64(deployment.metadata?.annotations?.[REVISION_ANNOTATION] ?? '0') ?? 0n;
    if (running !== revision)
      throw new RolloutError(
        `desired revision (${revision.toString()}) is different from the running revision (${running.toString()})`,
      );
  }
  const status = deployment.status ?? {};
  if ((deployment.metadata?.generation ?? 0) > (status.observedGeneration ?? 0))
    return { message: 'Waiting for deployment spec update to be observed...', done: false };
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded')
    throw new RolloutError(`deployment ${JSON.stringify(name)} exceeded its progress deadline`);
  const replicas = deployment.spec.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const current = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const waiting = `Waiting for deployment ${JSON.stringify(name)} rollout to finish:`;
  if (updated < replicas)
    return {
      message: `${waiting} ${updated} out of ${replicas} new replicas have been updated...`,
      done: false,
    };
  if (current > updated)
    return {
      message: `${waiting} ${current - updated} old replicas are pending termination...`,
      done: false,
    };
  if (available < updated)
    return {
      message: `${waiting} ${available} of ${updated} updated replicas are available...`,
      done: false,
    };
  return { message: `deployment ${JSON.stringify(name)} successfully rolled out`, done: true };
}

/**
 * The ReplicaSet of `toRevision` among the Deployment's own ReplicaSets, as kubectl picks it: the
 * exact revision, or for 0 the second-highest one. Malformed revisions are skipped.
 */
export function replicaSetForRevision(
  deploymentName: string,
  owned: readonly RolloutReplicaSet[],
  toRevision: bigint,
): { replicaSet: RolloutReplicaSet; revision: bigint } {
  const notFound = () =>
    new RolloutError(`unable to find specified revision ${toRevision.toString()} in history`);
  if (toRevision < 0n) throw notFound();
  let latest: { replicaSet: RolloutReplicaSet; revision: bigint } | undefined;
  let previous: { replicaSet: RolloutReplicaSet; revision: bigint } | undefined;
  for (const replicaSet of owned) {
    const revision = revisionOf(replicaSet);
    if (revision === undefined) continue;
    if (toRevision > 0n) {
      if (revision === toRevision) return { replicaSet, revision };
      continue;
    }
    if (latest === undefined || latest.revision < revision) {
      previous = latest;
      latest = { replicaSet, revision };
    } else if (previous === undefined || previous.revision < revision) {
      previous = { replicaSet, revision };
    }
  }
  if (toRevision > 0n) throw notFound();
  if (previous === undefined)
    throw new RolloutError(`no rollout history found for deployment ${JSON.stringify(deploymentName)}`);
  return previous;
}

/** A ReplicaSet's revision: 0 without the annotation, undefined when it is malformed (kubectl skips those). */
function revisionOf(replicaSet: RolloutReplicaSet): bigint | undefined {
  const text = replicaSet.metadata?.annotations?.[REVISION_ANNOTATION];
  return text === undefined ? 0n : parseInt64(text);
}

/** What `rollout undo` does to a Deployment: nothing (already there) or a JSON patch. */
export type UndoPlan =
  | { readonly kind: 'skip'; readonly revision: bigint }
  | { readonly kind: 'patch'; readonly revision: bigint; readonly patch: readonly object[] };

/**
 * kubectl's rollback: refuse a paused Deployment; skip when the template already matches; otherwise
 * put the ReplicaSet's template (without its pod-template-hash label) back, with its annotations
 * (the Deployment's own revision, last-applied, ... kept).
 */
export function planUndo(
  deployment: RolloutDeployment,
  owned: readonly RolloutReplicaSet[],
  toRevision: bigint,
): UndoPlan {
  const { replicaSet, revision } = replicaSetForRevision(deployment.metadata?.name ?? '', owned, toRevision);
  if (deployment.spec.paused)
    throw new RolloutError(
      "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    );
  if (templatesEqualIgnoringHash(replicaSet.spec.template, deployment.spec.template))
    return { kind: 'skip', revision };
  const template = withoutHashLabel(replicaSet.spec.template ?? {});
  const annotations = annotationsForRollback(
    deployment.metadata?.annotations,
    replicaSet.metadata?.annotations,
  );
  return {
    kind: 'patch',
    revision,
    patch: [
      { op: 'replace', path: '/spec/template', value: template },
      // `add` also creates the map when the Deployment has none.
      { op: 'add', path: '/metadata/annotations', value: annotations },
    ],
  };
}

/**
 * kubectl's history of a Deployment: one revision per ReplicaSet it controls (malformed revisions
 * skipped, a missing annotation counting as 0), with the ReplicaSet's change-cause and template.
 */
export function deploymentHistory(owned: readonly RolloutReplicaSet[]): RolloutRevision[] {
  return owned.flatMap((replicaSet) => {
    const revision = revisionOf(replicaSet);
    if (revision === undefined) return [];
    const changeCause = replicaSet.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION];
    return [
      {
        revision,
        template: replicaSet.spec.template ?? {},
        ...(changeCause === undefined ? {} : { changeCause }),
      },
    ];
  });
}

/** The ReplicaSets in the Deployment's namespace whose controller it is. */
async function ownedReplicaSets(
  kind: ResourceKind<RolloutReplicaSet>,
  deployment: RolloutDeployment,
  { client, namespace }: RolloutContext,
): Promise<RolloutReplicaSet[]> {
  const uid = deployment.metadata?.uid;
  const all = await client.resource(kind).list({ namespace });
  return all.items.filter((rs) => uid !== undefined && controllerOf(rs)?.uid === uid);
}

/** The rollout commands for the Deployment of `group` (`apps.typerator.dev` or `apps`), answering to `names`. */
export function deploymentRollout(
  group: string,
  names: readonly string[],
): RolloutWorkload<RolloutDeployment> {
  const apiVersion = `${group}/v1`;
  const deploymentKind = resourceKind<RolloutDeployment>(apiVersion, 'Deployment', 'deployments');
  const replicaSetKind = resourceKind<RolloutReplicaSet>(apiVersion, 'ReplicaSet', 'replicasets');
  return {
    kind: deploymentKind,
    names,
    status: rolloutStatus,
    history: async (deployment, context) =>
      deploymentHistory(await ownedReplicaSets(replicaSetKind, deployment, context)),
    async undo(deployment, toRevision, context) {
      const owned = await ownedReplicaSets(replicaSetKind, deployment, context);
      const plan = planUndo(deployment, owned, toRevision);
      if (plan.kind === 'skip') return { outcome: 'skipped', revision: plan.revision };
      await context.client
        .resource(deploymentKind)
        .patch({ namespace: context.namespace, name: deployment.metadata?.name ?? '' }, plan.patch, {
          type: 'json',
        });
      return { outcome: 'rolled-back', revision: plan.revision };
    },
  };
}

/**
 * Our Deployment (`deployment`, `deployments`, `tdeploy`, `deployment.apps.typerator.dev`) and the
 * built-in one (`deployment.apps`), which has the same shape and the same ReplicaSet history.
 */
export const deploymentRollouts: readonly RolloutWorkload<RolloutDeployment>[] = [
  deploymentRollout('apps.typerator.dev', ['deployment', 'deployments', 'tdeploy']),
  deploymentRollout('apps', ['deployment.apps', 'deployments.apps']),
];
