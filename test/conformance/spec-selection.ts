// Which upstream specs a conformance run selects: the [sig-apps] specs of the three workloads we
// reimplement, minus the ones the e2e framework marks as not for a shared, quick run, minus those
// excluded-specs.yaml lists. The patterns are Go regular expressions for ginkgo (RE2) that mean the
// same in JavaScript, so the report is filtered exactly as ginkgo filtered the suite.
import type { ListedSpec } from './spec-list.ts';

/** The workload specs of SIG Apps. */
export const FOCUS = String.raw`\[sig-apps\].*(Deployment|ReplicaSet|StatefulSet).*`;

/** Specs that disrupt the cluster, run long, need it to themselves, or are known to flake. */
export const NOT_FOR_THIS_RUN = 'Serial|Disruptive|Slow|Flaky';

/** `text` as a regular expression that matches only itself. */
export function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, String.raw`\$&`);
}

/**
 * A pattern matching the full text of exactly the listed specs: their own text at the end, followed
 * only by bracketed tags, so a spec whose text merely starts like a listed one is still run.
 */
export function listedSpecsPattern(specs: readonly ListedSpec[]): string {
  const names = specs.map((entry) => escapeRegExp(entry.spec)).join('|');
  return String.raw`(?:^|\s)(?:${names})(?:\s+\[[^\]]*\])*$`;
}

/** ginkgo's --skip: the framework's tags and the excluded specs. */
export function skipPattern(excluded: readonly ListedSpec[]): string {
  return excluded.length === 0 ? NOT_FOR_THIS_RUN : `${NOT_FOR_THIS_RUN}|${listedSpecsPattern(excluded)}`;
}

/** Whether a spec's full text is among those selected, before the exclusions. */
export function isSelected(fullText: string): boolean {
  return new RegExp(FOCUS).test(fullText) && !new RegExp(NOT_FOR_THIS_RUN).test(fullText);
}
