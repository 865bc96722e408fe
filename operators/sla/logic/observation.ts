import type { BoundaryChoice } from './bucket-boundary.ts';
import type { ReplicaCost } from './cost-model.ts';
import type { SlaSettings } from './settings.ts';

// What the controller saw in one evaluation, and the first judgement on it: is the data good
// enough to act on? Bad data (a failed query, no series, an old reading, NaN) is never read as
// zero or as "fine"; it stops every metric-driven change.

/** Why the metrics cannot be used; stable reasons for MetricsAvailable=False. */
export type MetricsProblem = 'QueryFailed' | 'NoSeries' | 'Stale' | 'NotANumber' | 'NoUsableBucket';

/** The numbers read from Prometheus in one evaluation. Ratios are NaN when there were no requests. */
export interface SlaMetrics {
  /** Share of requests at or under the boundary over spec.shortWindow. */
  readonly shortGoodRatio: number;
  /** The same over spec.longWindow. */
  readonly longGoodRatio: number;
  /** The same over spec.window (for the error budget). */
  readonly windowGoodRatio: number;
  /** Requests per second over spec.shortWindow. */
  readonly requestRate: number;
  /** When the queries were evaluated, in ms since the epoch. */
  readonly readAt: number;
  /** Age of the newest sample of the selected series, in ms, when it was queried. */
  readonly newestSampleAgeMs?: number | undefined;
}

/** The metrics, or why they could not be read (the controller maps query errors and empty results). */
export type MetricsReading =
  | { readonly ok: true; readonly metrics: SlaMetrics }
  | { readonly ok: false; readonly problem: MetricsProblem; readonly message: string };

/** Something else already scales the target. */
export interface TargetConflict {
  readonly kind: 'HorizontalPodAutoscaler' | 'ApiSla';
  readonly name: string;
}

/** Everything one decision looks at besides the settings and the history. */
export interface SlaObservation {
  readonly metrics: MetricsReading;
  /** The bucket chosen for the indicator; undefined when the boundaries could not be listed. */
  readonly boundary: BoundaryChoice | undefined;
  /** The target's spec.replicas and its ready pods. */
  readonly replicas: { readonly current: number; readonly ready: number };
  /** Cost of one replica; undefined when the pod template (or the prices) could not be read. */
  readonly cost: ReplicaCost | undefined;
  /** An HPA or another ApiSla on the same target. */
  readonly conflict?: TargetConflict | undefined;
}

/** A reading older than this many evaluation intervals is stale. */
export const STALE_READ_INTERVALS = 2;
/** Newest sample older than this many intervals (and at least STALE_SAMPLE_MIN_MS) is stale. */
export const STALE_SAMPLE_INTERVALS = 4;
/** Floor of the sample-age limit: Prometheus scrapes every minute by default. */
export const STALE_SAMPLE_MIN_MS = 120_000;

/** Metrics fit to act on: `traffic` false means below spec.minRequestRate (ratios may be NaN). */
export type CheckedMetrics =
  | { readonly ok: true; readonly metrics: SlaMetrics; readonly traffic: boolean }
  | { readonly ok: false; readonly problem: MetricsProblem; readonly message: string };

const isRatio = (value: number) => Number.isFinite(value) && value >= 0 && value <= 1 + 1e-9;

/** Judges a reading: failed, stale, NaN, too little traffic, or usable. */
export function checkMetrics(
  reading: MetricsReading,
  boundary: BoundaryChoice | undefined,
  settings: SlaSettings,
  now: number,
): CheckedMetrics {
  if (boundary?.kind === 'none') return { ok: false, problem: 'NoUsableBucket', message: boundary.message };
  if (!reading.ok) return reading;
  const { metrics } = reading;
  const readAge = now - metrics.readAt;
  if (readAge > STALE_READ_INTERVALS * settings.intervalMs)
    return { ok: false, problem: 'Stale', message: `the last reading is ${Math.round(readAge / 1000)}s old` };
  const sampleLimit = Math.max(STALE_SAMPLE_INTERVALS * settings.intervalMs, STALE_SAMPLE_MIN_MS);
  const sampleAge = metrics.newestSampleAgeMs;
  if (sampleAge !== undefined && !(sampleAge <= sampleLimit))
    return {
      ok: false,
      problem: 'Stale',
      message: `the newest sample of ${settings.prometheus.metric} is ${Math.round(sampleAge / 1000)}s old`,
    };
  if (!Number.isFinite(metrics.requestRate) || metrics.requestRate < 0)
    return { ok: false, problem: 'NotANumber', message: `the request rate is ${metrics.requestRate}` };
  if (metrics.requestRate < settings.minRequestRate) return { ok: true, metrics, traffic: false };
  for (const [name, value] of [
    ['short-window', metrics.shortGoodRatio],
    ['long-window', metrics.longGoodRatio],
    ['window', metrics.windowGoodRatio],
  ] as const)
    if (!isRatio(value))
      return { ok: false, problem: 'NotANumber', message: `the ${name} good ratio is ${value}, not a ratio` };
  return { ok: true, metrics, traffic: true };
}
