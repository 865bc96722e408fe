import type { ReplicaSet } from '../api/types.ts';
import {
  DESIRED_REPLICAS_ANNOTATION,
  LAST_APPLIED_CONFIG_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  ROLLBACK_TO_ANNOTATION,
} from './annotations.ts';

// Revisions are int64 in upstream and users do create huge ones (the e2e suite starts from
// 3546343826724305832), beyond Number's exact range: they are BigInts here, strings on objects.

/** revision-history is capped at this many characters; the oldest entries go first. */
export const REVISION_HISTORY_LIMIT_CHARS = 2000;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Annotations (map) as found on object metadata. */
export type Annotations = Readonly<Record<string, string>>;

/** Deployment annotations that never flow into a ReplicaSet (and survive a rollback on the Deployment). */
export const ANNOTATIONS_NOT_COPIED: ReadonlySet<string> = new Set([
  LAST_APPLIED_CONFIG_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  ROLLBACK_TO_ANNOTATION,
]);

/** A decimal int64 as Go's strconv.ParseInt reads it; undefined when malformed or out of range. */
export function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value < INT64_MIN || value > INT64_MAX ? undefined : value;
}

/** The object's revision: 0 without the annotation, undefined when the annotation is malformed. */
export function revisionOf(rs: ReplicaSet): bigint | undefined {
  const text = rs.metadata?.annotations?.[REVISION_ANNOTATION];
  return text === undefined ? 0n : parseInt64(text);
}

/** The highest revision among the ReplicaSets (malformed ones skipped), 0 for none. */
export function maxRevision(replicaSets: readonly ReplicaSet[]): bigint {
  let max = 0n;
  for (const rs of replicaSets) {
    const revision = revisionOf(rs);
    if (revision !== undefined && revision > max) max = revision;
  }
  return max;
}

/** The second-highest revision (what a rollback to "revision 0" means), 0 for none. */
export function lastRevision(replicaSets: readonly ReplicaSet[]): bigint {
  let max = 0n;
  let second = 0n;
  for (const rs of replicaSets) {
    const revision = revisionOf(rs);
    if (revision === undefined) continue;
    if (revision >= max) {
      second = max;
      max = revision;
    } else if (revision > second) {
      second = revision;
    }
  }
  return second;
}

/** The revision the new ReplicaSet should carry: the highest old revision + 1, as a string. */
export function nextRevision(oldRSs: readonly ReplicaSet[]): string {
  return (maxRevision(oldRSs) + 1n).toString();
}

/**
 * revision-history after `revision` is retired: appended, with the oldest entries dropped until
 * the value fits in `limit` characters (kept as it was if even the new entry alone cannot fit).
 */
export function appendRevisionHistory(
  history: string | undefined,
  revision: string,
  limit: number = REVISION_HISTORY_LIMIT_CHARS,
): string {
  if (history === undefined || history === '') return revision;
  const entries = history.split(',');
  let length = history.length + 1 + revision.length;
  let start = 0;
  while (length > limit && start < entries.length) {
    length -= (entries[start]?.length ?? 0) + 1;
    start++;
  }
  return length <= limit ? [...entries.slice(start), revision].join(',') : history;
}

/** `target` plus every Deployment annotation outside the skip list. Additive: nothing is removed. */
export function copyDeploymentAnnotations(
  deploymentAnnotations: Annotations | undefined,
  target: Annotations | undefined,
): Record<string, string> {
  const result: Record<string, string> = { ...target };
  for (const [key, value] of Object.entries(deploymentAnnotations ?? {})) {
    if (!ANNOTATIONS_NOT_COPIED.has(key)) result[key] = value;
  }
  return result;
}

/** The desired-replicas and max-replicas annotations recorded on every ReplicaSet the Deployment scales. */
export function replicaAnnotations(desired: number, max: number): Record<string, string> {
  return { [DESIRED_REPLICAS_ANNOTATION]: String(desired), [MAX_REPLICAS_ANNOTATION]: String(max) };
}

/** Whether `annotations` already carry these desired-replicas and max-replicas values. */
export function replicaAnnotationsMatch(
  annotations: Annotations | undefined,
  desired: number,
  max: number,
): boolean {
  return (
    annotations?.[DESIRED_REPLICAS_ANNOTATION] === String(desired) &&
    annotations[MAX_REPLICAS_ANNOTATION] === String(max)
  );
}

/** What to write on the new ReplicaSet's annotations. */
export interface NewReplicaSetAnnotationsInput {
  /** The Deployment's annotations. */
  readonly deploymentAnnotations: Annotations | undefined;
  /** The ReplicaSet's current annotations (none for one about to be created). */
  readonly replicaSetAnnotations: Annotations | undefined;
  /** nextRevision(oldRSs). */
  readonly newRevision: string;
  /** Only a ReplicaSet about to be created gets desired-/max-replicas here (scaling sets them later). */
  readonly created: boolean;
  /** spec.replicas and spec.replicas + maxSurge, for a created ReplicaSet. */
  readonly desiredReplicas: number;
  readonly maxReplicas: number;
  /** Cap of revision-history; REVISION_HISTORY_LIMIT_CHARS by default. */
  readonly historyLimit?: number;
}

/**
 * The new ReplicaSet's annotations: the Deployment's copyable annotations, the revision raised to
 * `newRevision` only if that is higher (a rollback raises it, and the retired number joins
 * revision-history), and for a created ReplicaSet the replica annotations. `changed` says whether
 * anything differs from the ReplicaSet's current annotations. A malformed existing revision
 * leaves everything unchanged, as upstream does.
 */
export function newReplicaSetAnnotations(input: NewReplicaSetAnnotationsInput): {
  annotations: Record<string, string>;
  changed: boolean;
} {
  const current = input.replicaSetAnnotations ?? {};
  const annotations = copyDeploymentAnnotations(input.deploymentAnnotations, current);
  const oldText = current[REVISION_ANNOTATION];
  const oldRevision = oldText === undefined || oldText === '' ? 0n : parseInt64(oldText);
  const newRevision = parseInt64(input.newRevision);
  if (oldRevision === undefined || newRevision === undefined)
    return { annotations: { ...current }, changed: false };
  if (oldRevision < newRevision) {
    annotations[REVISION_ANNOTATION] = input.newRevision;
    if (oldText !== undefined) {
      annotations[REVISION_HISTORY_ANNOTATION] = appendRevisionHistory(
        current[REVISION_HISTORY_ANNOTATION],
        oldText,
        input.historyLimit ?? REVISION_HISTORY_LIMIT_CHARS,
      );
    }
  }
  if (input.created) Object.assign(annotations, replicaAnnotations(input.desiredReplicas, input.maxReplicas));
  const changed = Object.keys(annotations).some((key) => annotations[key] !== current[key]);
  return { annotations, changed };
}

/**
 * The Deployment's annotations after rolling back to a ReplicaSet: its own skip-list annotations
 * (revision, last-applied, ...) plus the ReplicaSet's copyable ones; everything else is dropped.
 */
export function annotationsForRollback(
  deploymentAnnotations: Annotations | undefined,
  replicaSetAnnotations: Annotations | undefined,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(deploymentAnnotations ?? {})) {
    if (ANNOTATIONS_NOT_COPIED.has(key)) result[key] = value;
  }
  return copyDeploymentAnnotations(replicaSetAnnotations, result);
}
