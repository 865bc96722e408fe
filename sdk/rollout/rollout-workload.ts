import type { KubernetesObject, V1PodTemplateSpec } from '@kubernetes/client-node';
import type { Client } from '../client/client.ts';
import type { ResourceKind } from '../client/resource-kind.ts';

/** A rollout command cannot do what was asked; the command prints the message as `error: …` and exits 1. */
export class RolloutError extends Error {
  override readonly name = 'RolloutError';
}

/** Where a rollout stands, as `kubectl rollout status` reports it: the line to print, and whether it is over. */
export interface RolloutStatus {
  readonly message: string;
  readonly done: boolean;
}

/** One entry of a workload's rollout history. */
export interface RolloutRevision {
  /** The revision number (int64 in the API, so a bigint). */
  readonly revision: bigint;
  /** The `kubernetes.io/change-cause` annotation of the object that records the revision, if any. */
  readonly changeCause?: string;
  /** The pod template that revision runs. */
  readonly template: V1PodTemplateSpec;
}

/** What `rollout undo` did: nothing, because the workload already runs that revision, or a rollback. */
export interface UndoResult {
  readonly outcome: 'rolled-back' | 'skipped';
  /** The revision rolled back to (for `--to-revision 0`, the one that was chosen). */
  readonly revision: bigint;
}

/** The cluster access a workload's history and undo use: a client, and the workload's namespace. */
export interface RolloutContext {
  readonly client: Client;
  readonly namespace: string;
}

/**
 * What a workload operator implements so that `typerator rollout status|history|undo` serve its
 * kind: which `--kind` names it answers to, how to read its rollout status (a pure function of the
 * object, as kubectl's status viewers are), where its revisions are kept, and how to go back to one.
 * The command itself (arguments, kind resolution, the status loop with `--watch` and `--timeout`,
 * output, errors) is {@link rolloutCommand}'s.
 *
 * ```ts
 * const widgetRollout: RolloutWorkload<Widget> = {
 *   kind: widgetKind,
 *   names: ['widget', 'widgets', 'widget.example.dev'],
 *   status: (widget) =>
 *     widget.status?.observedGeneration === widget.metadata?.generation
 *       ? { message: 'widget rolled out', done: true }
 *       : { message: 'Waiting for widget spec update to be observed...', done: false },
 *   history: async (widget, { client, namespace }) => [],
 *   undo: () => Promise.reject(new RolloutError('widgets keep no history')),
 * };
 * ```
 */
export interface RolloutWorkload<T extends KubernetesObject = KubernetesObject> {
  /** The kind the commands read and patch. */
  readonly kind: ResourceKind<T>;
  /** The `--kind` values (and `<kind>/<name>` prefixes) that select it, lower case, e.g. `statefulset`, `tsts`. */
  readonly names: readonly string[];
  /**
   * Where the rollout of `object` stands. Throw a {@link RolloutError} when it can never finish
   * (a deadline exceeded, a strategy without rollouts) or `revision` (`--revision`, when given) is
   * not the one running.
   */
  status(object: T, revision?: bigint): RolloutStatus;
  /** The revisions the workload keeps, in any order. */
  history(object: T, context: RolloutContext): Promise<readonly RolloutRevision[]>;
  /**
   * Puts the template of `toRevision` back (0: the revision before the current one), or reports
   * that it already runs. Throw a {@link RolloutError} when there is no such revision.
   */
  undo(object: T, toRevision: bigint, context: RolloutContext): Promise<UndoResult>;
}

/**
 * How kubectl names a kind in output: the lower-case kind and its group, e.g. `deployment.apps` or
 * `statefulset.apps.typerator.dev` (just the kind for the core group).
 */
export function resourceName(kind: Pick<ResourceKind, 'kind' | 'group'>): string {
  const lower = kind.kind.toLowerCase();
  return kind.group === '' ? lower : `${lower}.${kind.group}`;
}

/** The workload `kind` (any case) names; a RolloutError lists the supported names otherwise. */
export function resolveWorkload(workloads: readonly RolloutWorkload[], kind: string): RolloutWorkload {
  const lower = kind.toLowerCase();
  const found = workloads.find(
    (workload) => workload.names.includes(lower) || resourceName(workload.kind) === lower,
  );
  if (found !== undefined) return found;
  const supported = workloads.map((workload) => {
    const full = resourceName(workload.kind);
    const short = workload.names[0] ?? full;
    return short === full ? full : `${short} (${full})`;
  });
  throw new RolloutError(`unsupported kind ${JSON.stringify(kind)}: use ${supported.join(', ')}`);
}
