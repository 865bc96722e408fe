import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { RolloutError, type RolloutRevision } from './rollout-workload.ts';

// `rollout history` output, shaped like kubectl's: the object's name, then either the table of
// revisions with their change-cause or, for --revision N, that revision's pod template. kubectl
// describes the template in `kubectl describe` form; we print it as YAML, which shows every field.

/** Columns are as wide as their widest cell plus this many spaces (Go's tabwriter, as kubectl sets it up). */
const COLUMN_PADDING = 2;

/**
 * The revisions by number, lowest first. Two entries with one number (which kubectl's map keeps
 * one of) are reduced to the later one listed.
 */
export function sortedHistory(revisions: readonly RolloutRevision[]): RolloutRevision[] {
  const byNumber = new Map<bigint, RolloutRevision>();
  for (const revision of revisions) byNumber.set(revision.revision, revision);
  return [...byNumber.values()].sort((a, b) =>
    a.revision < b.revision ? -1 : a.revision > b.revision ? 1 : 0,
  );
}

/** The `REVISION  CHANGE-CAUSE` table, one line per revision, `<none>` for a missing cause. */
export function historyTable(revisions: readonly RolloutRevision[]): string[] {
  const rows = [
    ['REVISION', 'CHANGE-CAUSE'] as const,
    ...sortedHistory(revisions).map(
      (r) =>
        [
          r.revision.toString(),
          r.changeCause === undefined || r.changeCause === '' ? '<none>' : r.changeCause,
        ] as const,
    ),
  ];
  const width = Math.max(...rows.map(([revision]) => revision.length)) + COLUMN_PADDING;
  return rows.map(([revision, cause]) => `${revision.padEnd(width)}${cause}`);
}

/** A pod template as `Pod Template:` and its YAML, indented. */
export function describeTemplate(template: V1PodTemplateSpec): string[] {
  const yaml = stringify(template, { indent: 2 }).trimEnd();
  return ['Pod Template:', ...yaml.split('\n').map((line) => `  ${line}`)];
}

/**
 * What `rollout history` prints for `<resource>/<name>`: the table of revisions, or with `revision`
 * above 0 that revision's template (a RolloutError if there is none), or kubectl's
 * "No rollout history found." when the workload keeps none.
 */
export function formatHistory(
  target: string,
  revisions: readonly RolloutRevision[],
  revision: bigint = 0n,
): string {
  const lines =
    revisions.length === 0
      ? [target, 'No rollout history found.']
      : revision > 0n
        ? [
            `${target} with revision #${revision.toString()}`,
            ...describeTemplate(templateOf(revisions, revision)),
          ]
        : [target, ...historyTable(revisions)];
  return `${lines.join('\n')}\n`;
}

function templateOf(revisions: readonly RolloutRevision[], revision: bigint): V1PodTemplateSpec {
  const found = sortedHistory(revisions).find((r) => r.revision === revision);
  if (found === undefined) throw new RolloutError('unable to find the specified revision');
  return found.template;
}
