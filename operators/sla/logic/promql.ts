import type { BoundaryChoice } from './bucket-boundary.ts';
import { formatPromDuration } from './durations.ts';
import type { SlaSettings } from './settings.ts';

// The PromQL the controller runs. The indicator is the share of requests at or under the latency
// (bucket ÷ count summed over every selected series), not histogram_quantile: a ratio of sums adds
// up across pods and windows and gives the error budget and burn rates directly.

/**
 * A pod label key as a Prometheus label name. Kubernetes service discovery relabelling (labelmap
 * on __meta_kubernetes_pod_label_*) turns every character Prometheus does not allow into `_`, so
 * app.kubernetes.io/name becomes app_kubernetes_io_name.
 */
export function promLabelName(key: string): string {
  const name = key.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

// PromQL string literals take Go escapes; only backslash, quote and newline can occur in labels.
const quote = (value: string) =>
  `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `app="myapp",tier="web"`, sorted by label name so the text is stable. */
export function labelMatchers(selector: Readonly<Record<string, string>>): string {
  return Object.entries(selector)
    .map(([key, value]) => [promLabelName(key), value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${quote(value)}`)
    .join(',');
}

/** The le matcher for a chosen boundary: `le="0.2"`, or `le=~"1|1\\.0"` when it has two spellings. */
export function leMatcher(les: readonly string[]): string {
  if (les.length === 1 && les[0] !== undefined) return `le=${quote(les[0])}`;
  return `le=~${quote(les.map(escapeRegex).join('|'))}`;
}

/** Share of requests at or under the boundary over `windowMs`; NaN (0 ÷ 0) when there were none. */
export function goodRatioQuery(
  metric: string,
  selector: Readonly<Record<string, string>>,
  les: readonly string[],
  windowMs: number,
): string {
  const range = formatPromDuration(windowMs);
  const matchers = labelMatchers(selector);
  return (
    `sum(rate(${metric}_bucket{${matchers},${leMatcher(les)}}[${range}]))` +
    ` / sum(rate(${metric}_count{${matchers}}[${range}]))`
  );
}

/** Requests per second over `windowMs`. */
export function requestRateQuery(
  metric: string,
  selector: Readonly<Record<string, string>>,
  windowMs: number,
): string {
  return `sum(rate(${metric}_count{${labelMatchers(selector)}}[${formatPromDuration(windowMs)}]))`;
}

/** One sample per bucket boundary the selected series have; read the `le` label of each. */
export function bucketBoundariesQuery(metric: string, selector: Readonly<Record<string, string>>): string {
  return `count by (le) (${metric}_bucket{${labelMatchers(selector)}})`;
}

/**
 * Seconds since the newest sample of the selected series. An instant selector honours staleness
 * markers, so a scrape target that went away gives no result (not an old value, as a range would).
 */
export function newestSampleAgeQuery(metric: string, selector: Readonly<Record<string, string>>): string {
  return `time() - max(timestamp(${metric}_count{${labelMatchers(selector)}}))`;
}

/** Every query one evaluation needs, once the boundary is known. */
export interface SlaQueries {
  readonly goodRatioShort: string;
  readonly goodRatioLong: string;
  readonly goodRatioWindow: string;
  readonly requestRate: string;
  readonly newestSampleAge: string;
}

/** The queries for `settings`, measuring against `boundary` (an exact or lower choice). */
export function slaQueries(
  settings: SlaSettings,
  boundary: Extract<BoundaryChoice, { les: readonly string[] }>,
): SlaQueries {
  const { metric } = settings.prometheus;
  const { selector } = settings;
  return {
    goodRatioShort: goodRatioQuery(metric, selector, boundary.les, settings.shortWindowMs),
    goodRatioLong: goodRatioQuery(metric, selector, boundary.les, settings.longWindowMs),
    goodRatioWindow: goodRatioQuery(metric, selector, boundary.les, settings.windowMs),
    requestRate: requestRateQuery(metric, selector, settings.shortWindowMs),
    newestSampleAge: newestSampleAgeQuery(metric, selector),
  };
}
