import type { KubernetesObject } from '@kubernetes/client-node';

/** How far an object is from its desired state, read from its status the way kubectl does. */
export interface ObjectProgress {
  /** The object reached what its spec asks for (and the operator has seen its latest spec). */
  readonly ready: boolean;
  /** For objects with `spec.replicas`: ready out of desired, and the up-to-date and available counts. */
  readonly replicas?: {
    readonly desired: number;
    readonly ready: number;
    readonly updated: number | undefined;
    readonly available: number | undefined;
    readonly current: number | undefined;
  };
  /** `Type=Status` of every condition, with the reason of those that are not True. */
  readonly conditions: readonly string[];
  /** Why it is not ready, in a few words; empty when ready. */
  readonly waitingFor: string;
}

interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
}

interface Observed extends KubernetesObject {
  readonly spec?: { readonly replicas?: unknown };
  readonly status?: {
    readonly observedGeneration?: number;
    readonly replicas?: number;
    readonly readyReplicas?: number;
    readonly updatedReplicas?: number;
    readonly availableReplicas?: number;
    readonly conditions?: readonly Condition[];
  };
}

// Conditions whose False means "not there yet" on any kind; other conditions are only shown.
const MUST_BE_TRUE = new Set(['Ready', 'Available', 'Progressing']);

/**
 * Reads an object's progress without knowing its kind: a spec/status pair is ready when the status
 * reflects the latest generation, every replica is ready, up to date and available with no old
 * ones left, and none of Ready, Available or Progressing is False. An object with a spec needs a
 * status first; one without either (a ConfigMap, a Secret) is ready once it exists.
 */
export function objectProgress(object: KubernetesObject): ObjectProgress {
  const { spec, status } = object as Observed;
  const conditions = (status?.conditions ?? []).map(
    (c) => `${c.type}=${c.status}${c.status !== 'True' && c.reason ? ` (${c.reason})` : ''}`,
  );
  const generation = object.metadata?.generation;
  const waiting: string[] = [];
  if (
    generation !== undefined &&
    status?.observedGeneration !== undefined &&
    status.observedGeneration < generation
  )
    waiting.push('the operator to see the latest spec');
  // A spec the operator has not answered yet (kinds without a spec, like ConfigMaps, have no status).
  if (spec !== undefined && status === undefined) waiting.push('a first status');
  let replicas: ObjectProgress['replicas'];
  if (typeof spec?.replicas === 'number') {
    replicas = {
      desired: spec.replicas,
      ready: status?.readyReplicas ?? 0,
      updated: status?.updatedReplicas,
      available: status?.availableReplicas,
      current: status?.replicas,
    };
    if (replicas.ready < replicas.desired)
      waiting.push(`${replicas.desired - replicas.ready} pods to be ready`);
    if (replicas.updated !== undefined && replicas.updated < replicas.desired)
      waiting.push(`${replicas.desired - replicas.updated} pods to be updated`);
    if (replicas.available !== undefined && replicas.available < replicas.desired)
      waiting.push(`${replicas.desired - replicas.available} pods to be available`);
    if (replicas.current !== undefined && replicas.current > replicas.desired)
      waiting.push(`${replicas.current - replicas.desired} old pods to go`);
  }
  for (const condition of status?.conditions ?? [])
    if (condition.type && MUST_BE_TRUE.has(condition.type) && condition.status === 'False')
      waiting.push(`${condition.type}${condition.reason ? ` (${condition.reason})` : ''}`);
  return {
    ready: waiting.length === 0,
    ...(replicas ? { replicas } : {}),
    conditions,
    waitingFor: waiting.join(', '),
  };
}
