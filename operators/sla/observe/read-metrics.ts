// One evaluation's reading from Prometheus: which bucket measures the latency target, then the
// good ratios, the request rate and the age of the newest sample. Failures and empty answers become
// a MetricsReading with a reason, never a zero: the decision function holds on them.
import { chooseBoundary, type BoundaryChoice } from '../logic/bucket-boundary.ts';
import type { MetricsReading } from '../logic/observation.ts';
import { bucketBoundariesQuery, labelMatchers, slaQueries } from '../logic/promql.ts';
import type { SlaSettings } from '../logic/settings.ts';
import { PrometheusQueryError, type PrometheusClient, type PrometheusSample } from './prometheus-client.ts';

/** The bucket chosen and the metrics read against it. */
export interface PrometheusReading {
  readonly boundary: BoundaryChoice | undefined;
  readonly metrics: MetricsReading;
}

class NoSeries extends Error {}

function single(samples: readonly PrometheusSample[], query: string): number {
  const [first] = samples;
  if (!first) throw new NoSeries(query);
  return first.value;
}

const failed = (error: unknown): MetricsReading => ({
  ok: false,
  problem: 'QueryFailed',
  message: error instanceof Error ? error.message : String(error),
});

/** Reads what `settings` asks for from `prometheus`, evaluated at `now`. */
export async function readMetrics(
  prometheus: PrometheusClient,
  settings: SlaSettings,
  now: Date,
): Promise<PrometheusReading> {
  const { metric } = settings.prometheus;
  const series = `${metric}_bucket{${labelMatchers(settings.selector)}}`;
  const noSeries = (what: string): MetricsReading => ({
    ok: false,
    problem: 'NoSeries',
    message: `Prometheus at ${prometheus.url} has no ${what} for ${series}; check that it scrapes the selected pods and that spec.prometheus.metric names their histogram`,
  });
  let les: string[];
  try {
    const buckets = await prometheus.query(bucketBoundariesQuery(metric, settings.selector), now);
    les = buckets.map((sample) => sample.labels.le).filter((le): le is string => le !== undefined);
  } catch (error) {
    return { boundary: undefined, metrics: failed(error) };
  }
  if (les.length === 0) return { boundary: undefined, metrics: noSeries('series') };
  const boundary = chooseBoundary(settings.objective.latencySeconds, les);
  if (boundary.kind === 'none')
    return { boundary, metrics: { ok: false, problem: 'NoUsableBucket', message: boundary.message } };

  const queries = slaQueries(settings, boundary);
  try {
    const [shortGood, longGood, windowGood, rate, age] = await Promise.all(
      [
        queries.goodRatioShort,
        queries.goodRatioLong,
        queries.goodRatioWindow,
        queries.requestRate,
        queries.newestSampleAge,
      ].map(async (query) => single(await prometheus.query(query, now), query)),
    );
    return {
      boundary,
      metrics: {
        ok: true,
        metrics: {
          shortGoodRatio: shortGood ?? NaN,
          longGoodRatio: longGood ?? NaN,
          windowGoodRatio: windowGood ?? NaN,
          requestRate: rate ?? NaN,
          readAt: now.getTime(),
          newestSampleAgeMs: age === undefined ? undefined : age * 1000,
        },
      },
    };
  } catch (error) {
    if (error instanceof NoSeries) return { boundary, metrics: noSeries('current samples') };
    if (error instanceof PrometheusQueryError) return { boundary, metrics: failed(error) };
    throw error;
  }
}
