import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import type { Deployment, ReplicaSet } from '../api/types.ts';
import { ROLLBACK_TO_ANNOTATION } from './annotations.ts';
import { templatesEqualIgnoringHash, withoutHashLabel } from './hash.ts';
import { annotationsForRollback, lastRevision, revisionOf } from './revisions.ts';
import { rollbackTarget } from './sync-path.ts';

/** An event the reconciler records on the Deployment. */
export interface DeploymentEvent {
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
}

/** The Deployment to write back (always with the rollback annotation cleared) and the event to record. */
export interface RollbackPlan {
  readonly deployment: Deployment;
  readonly event: DeploymentEvent;
  /** The template and annotations were replaced by the target ReplicaSet's. */
  readonly rolledBack: boolean;
}

function withoutRollbackAnnotation(d: Deployment): Deployment {
  const { [ROLLBACK_TO_ANNOTATION]: _request, ...annotations } = d.metadata?.annotations ?? {};
  return { ...d, metadata: { ...d.metadata, annotations } };
}

/**
 * Handles the deprecated rollback annotation (revision "0" = the previous revision). When the
 * target ReplicaSet exists and its template differs, the Deployment takes that template (without
 * the hash label) and its annotations (skip-list keys of the Deployment kept); the next sync then
 * finds that ReplicaSet as the new one and raises its revision. Otherwise a Warning explains why
 * nothing happened. Undefined when no (well-formed) rollback is requested.
 */
export function planRollback(d: Deployment, allRSs: readonly ReplicaSet[]): RollbackPlan | undefined {
  const requested = rollbackTarget(d);
  if (requested === undefined) return undefined;
  const cleared = withoutRollbackAnnotation(d);
  const notFound = (message: string): RollbackPlan => ({
    deployment: cleared,
    event: { type: 'Warning', reason: 'DeploymentRollbackRevisionNotFound', message },
    rolledBack: false,
  });
  const revision = requested === 0n ? lastRevision(allRSs) : requested;
  if (revision === 0n) return notFound('Unable to find last revision.');
  const target = allRSs.find((rs) => revisionOf(rs) === revision);
  if (target === undefined) return notFound('Unable to find the revision to rollback to.');
  const name = d.metadata?.name ?? '';
  if (templatesEqualIgnoringHash(d.spec.template, target.spec.template)) {
    return {
      deployment: cleared,
      event: {
        type: 'Warning',
        reason: 'DeploymentRollbackTemplateUnchanged',
        message: `The rollback revision contains the same template as current deployment "${name}"`,
      },
      rolledBack: false,
    };
  }
  const template: V1PodTemplateSpec = withoutHashLabel(target.spec.template ?? {});
  return {
    deployment: {
      ...cleared,
      metadata: {
        ...cleared.metadata,
        annotations: annotationsForRollback(cleared.metadata?.annotations, target.metadata?.annotations),
      },
      spec: { ...cleared.spec, template },
    },
    event: {
      type: 'Normal',
      reason: 'DeploymentRollback',
      message: `Rolled back deployment "${name}" to revision ${revision.toString()}`,
    },
    rolledBack: true,
  };
}
