// What the benchmarks that compare one of our controllers with kube-controller-manager's built-in one
// on the same cluster share: the controller-manager's flags, a trial's measurement, and the tables
// (each trial, the medians, the ratio of the medians, and the requests by verb and resource).
import type { BenchTable } from './bench-table.ts';
import { median, total } from './audit-log.ts';

/**
 * kube-controller-manager throttles itself to 20 requests/s by default; our client does not
 * throttle, so lift its limit to compare the controllers rather than the rate limits.
 */
export const UNTHROTTLED_CONTROLLER_MANAGER_ARGS: readonly string[] = [
  '--kube-api-qps=1000',
  '--kube-api-burst=1000',
];

/** One side's measurement in one trial. */
export interface Trial {
  readonly seconds: number;
  /** Requests by `verb resource[/subresource]`, as `countRequests` (audit-log.ts) gives them. */
  readonly requests: ReadonlyMap<string, number>;
}

/** One side of the comparison: a label for the table and its trials, in order. */
export interface Side {
  readonly label: string;
  readonly trials: readonly Trial[];
}

/**
 * The summary table (each trial, then the median per side, peer first) with the ratio ours/peer of
 * the medians and per trial in the first note, and the requests by verb and resource summed over the
 * trials. An incomplete run (fewer than `trials` on a side) reports no ratio.
 */
export function comparisonTables(options: {
  readonly title: string;
  /** The timing column's header, e.g. `seconds to complete`. */
  readonly timeColumn: string;
  readonly peer: Side;
  readonly ours: Side;
  readonly trials: number;
  /** Notes under the summary, after the ratios. */
  readonly notes: readonly string[];
  /** Default: `API requests by verb and resource, summed over the N trial(s)`. */
  readonly breakdownTitle?: string;
}): [BenchTable, BenchTable] {
  const { peer, ours, trials } = options;
  const rows: (string | number)[][] = [];
  for (const side of [peer, ours])
    side.trials.forEach((run, i) => rows.push([side.label, `${i + 1}`, run.seconds, total(run.requests)]));
  const medians = (runs: readonly Trial[]) => ({
    seconds: median(runs.map((r) => r.seconds)),
    requests: median(runs.map((r) => total(r.requests))),
  });
  for (const side of [peer, ours]) {
    const m = medians(side.trials);
    rows.push([side.label, 'median', m.seconds, m.requests]);
  }
  const complete = peer.trials.length === trials && ours.trials.length === trials;
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  const perTrial = ours.trials
    .map((o, i) => {
      const p = peer.trials[i] ?? o;
      return `${ratio(o.seconds, p.seconds)}×/${ratio(total(o.requests), total(p.requests))}×`;
    })
    .join(', ');
  const summary: BenchTable = {
    title: options.title,
    columns: ['controller', 'trial', options.timeColumn, 'API requests (non-watch)'],
    rows,
    notes: [
      complete
        ? `typerator: time ${ratio(medians(ours.trials).seconds, medians(peer.trials).seconds)}×, requests ${ratio(medians(ours.trials).requests, medians(peer.trials).requests)}× kube-controller-manager's, median against median (goal: at most 1.1× each); per trial (time/requests): ${perTrial}`
        : 'incomplete run',
      ...options.notes,
    ],
  };
  const keys = [
    ...new Set([...peer.trials, ...ours.trials].flatMap((run) => [...run.requests.keys()])),
  ].sort();
  const sum = (runs: readonly Trial[], key: string) =>
    runs.reduce((acc, run) => acc + (run.requests.get(key) ?? 0), 0);
  const breakdown: BenchTable = {
    title: options.breakdownTitle ?? `API requests by verb and resource, summed over the ${trials} trial(s)`,
    columns: ['request', peer.label, ours.label],
    rows: keys.map((key) => [key, sum(peer.trials, key), sum(ours.trials, key)]),
  };
  return [summary, breakdown];
}
