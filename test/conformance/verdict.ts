// From the outcomes of a run to its verdict: which specs were judged, one line per spec, the counts,
// and whether the run met its bar (every judged spec passed; in the control run, every one failed).
import type { ControllersMode } from './controllers-mode.ts';
import type { SpecOutcome } from './ginkgo-report.ts';
import { isSelected } from './spec-selection.ts';
import { listedEntry, type SpecList } from './spec-list.ts';

export interface Verdict {
  /** One line per selected spec, then the suite-level failures, if any. */
  readonly lines: readonly string[];
  /** Judged specs that passed and that did not. */
  readonly passed: number;
  readonly failed: number;
  /** `N passed, M failed`, and what was not judged. */
  readonly summary: readonly string[];
  /** Whether the run met its bar; the process exits non-zero when not. */
  readonly ok: boolean;
}

const CONFORMANCE = '[Conformance]';

/** The text to print: the full text, tagged [Conformance] when the spec is one. */
function displayText(outcome: SpecOutcome): string {
  const conformance = outcome.labels.includes('Conformance') || outcome.fullText.includes(CONFORMANCE);
  return conformance && !outcome.fullText.includes(CONFORMANCE)
    ? `${outcome.fullText} ${CONFORMANCE}`
    : outcome.fullText;
}

function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n')[0]?.trim() ?? '';
}

function failureDetail(outcome: SpecOutcome): string {
  const message = firstLine(outcome.message).slice(0, 300);
  const why = outcome.state === 'failed' ? '' : `${outcome.state}: `;
  return `${why}${message || 'no message'}${outcome.location ? ` (${outcome.location})` : ''}`;
}

function pad(word: string): string {
  return word.padEnd(9);
}

/**
 * Judges a run. `mode` `none` is the control run: no controller reconciles the workloads, so every
 * judged spec must fail; a spec that passes there does not judge the controllers.
 */
export function judge(outcomes: readonly SpecOutcome[], list: SpecList, mode: ControllersMode): Verdict {
  const control = mode === 'none';
  const specs = outcomes
    .filter((o) => o.nodeType === 'It' && isSelected(o.fullText))
    .sort((a, b) => a.fullText.localeCompare(b.fullText));
  const suiteFailures = outcomes.filter(
    (o) => o.nodeType !== 'It' && o.state !== 'passed' && o.state !== 'skipped' && o.state !== 'pending',
  );
  const lines: string[] = [];
  const unexpectedPasses: string[] = [];
  let passed = 0;
  let failed = 0;
  let selfSkipped = 0;
  const seenExcluded = new Set<string>();
  for (const outcome of specs) {
    const text = displayText(outcome);
    const excluded = listedEntry(list.excluded, outcome.leafText);
    if (excluded) {
      seenExcluded.add(excluded.spec);
      lines.push(`${pad('excluded')}${text} (${excluded.reason})`);
      continue;
    }
    const selfSkip = outcome.state === 'skipped' && outcome.message !== undefined;
    const expectedSkip = selfSkip ? listedEntry(list.skipsItself, outcome.leafText) : undefined;
    if (expectedSkip) {
      selfSkipped++;
      lines.push(`${pad('skipped')}${text} (skips itself: ${expectedSkip.reason})`);
    } else if (outcome.state === 'passed') {
      passed++;
      if (control) unexpectedPasses.push(text);
      lines.push(`${pad(control ? 'PASSED' : 'passed')}${text} (${outcome.seconds.toFixed(0)} s)`);
    } else {
      failed++;
      const detail = selfSkip
        ? `skipped itself, which only the specs listed under skipsItself may: ${firstLine(outcome.message)}`
        : outcome.state === 'skipped'
          ? 'not run'
          : failureDetail(outcome);
      lines.push(`${pad(control ? 'failed' : 'FAILED')}${text} (${outcome.seconds.toFixed(0)} s)`);
      lines.push(`         ${detail}`);
    }
  }
  for (const entry of list.excluded)
    if (!seenExcluded.has(entry.spec)) lines.push(`${pad('excluded')}${entry.spec} (${entry.reason})`);
  for (const failure of suiteFailures)
    lines.push(`${pad('SUITE')}${failure.nodeType} ${failure.state}: ${failureDetail(failure)}`);

  const judged = passed + failed;
  const notJudged = `${list.excluded.length} excluded (need a kubelet or running containers), ${selfSkipped} skipped themselves (need a cloud provider)`;
  const summary = [`${passed} passed, ${failed} failed`, notJudged];
  let ok: boolean;
  if (judged === 0) {
    summary.push('no spec was judged');
    ok = false;
  } else if (suiteFailures.length > 0) {
    summary.push('the suite itself failed (see SUITE above), so the specs do not judge anything');
    ok = false;
  } else if (control) {
    ok = unexpectedPasses.length === 0;
    summary.push(
      ok
        ? `control run: all ${judged} judged specs failed with no workload controller, so they judge the controllers`
        : `control run: ${unexpectedPasses.length} of ${judged} judged specs passed with no workload controller, so they do not judge it`,
    );
  } else {
    ok = failed === 0;
    if (!ok) summary.push(`${failed} judged spec(s) failed`);
  }
  return { lines, passed, failed, summary, ok };
}
