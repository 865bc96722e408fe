import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry, singletonMetric } from '../metrics/registry.ts';

// client-go's workqueue metrics as controller-runtime registers them (labels: name, controller).
const labelNames = ['name', 'controller'] as const;
const durationBuckets = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10, 100, 1000];

export const workqueueDepth = singletonMetric(
  'workqueue_depth',
  () =>
    new Gauge({
      name: 'workqueue_depth',
      help: 'Current depth of workqueue',
      labelNames,
      registers: [metricsRegistry],
    }),
);
export const workqueueAdds = singletonMetric(
  'workqueue_adds_total',
  () =>
    new Counter({
      name: 'workqueue_adds_total',
      help: 'Total number of adds handled by workqueue',
      labelNames,
      registers: [metricsRegistry],
    }),
);
export const workqueueRetries = singletonMetric(
  'workqueue_retries_total',
  () =>
    new Counter({
      name: 'workqueue_retries_total',
      help: 'Total number of retries handled by workqueue',
      labelNames,
      registers: [metricsRegistry],
    }),
);
export const workqueueQueueDuration = singletonMetric(
  'workqueue_queue_duration_seconds',
  () =>
    new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: 'How long in seconds an item stays in workqueue before being requested',
      labelNames,
      buckets: durationBuckets,
      registers: [metricsRegistry],
    }),
);
export const workqueueWorkDuration = singletonMetric(
  'workqueue_work_duration_seconds',
  () =>
    new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'How long in seconds processing an item from workqueue takes.',
      labelNames,
      buckets: durationBuckets,
      registers: [metricsRegistry],
    }),
);

/** How long the keys being processed have been at it, read when /metrics is scraped. */
export interface InFlightAges {
  /** Sum over the keys in flight, seconds. */
  readonly totalSeconds: number;
  /** The oldest key in flight, seconds; 0 when none. */
  readonly longestSeconds: number;
}

// The queues being watched, by their label values; the gauges below read them at scrape time.
const inFlightSources = new Map<
  string,
  { labels: { name: string; controller: string }; ages: () => InFlightAges }
>();

export const workqueueUnfinishedWork = singletonMetric(
  'workqueue_unfinished_work_seconds',
  () =>
    new Gauge({
      name: 'workqueue_unfinished_work_seconds',
      help: "How many seconds of work has been done that is in progress and hasn't been observed by work_duration. Large values indicate stuck threads.",
      labelNames,
      registers: [metricsRegistry],
      collect() {
        for (const { labels, ages } of inFlightSources.values()) this.set(labels, ages().totalSeconds);
      },
    }),
);
export const workqueueLongestRunningProcessor = singletonMetric(
  'workqueue_longest_running_processor_seconds',
  () =>
    new Gauge({
      name: 'workqueue_longest_running_processor_seconds',
      help: 'How many seconds has the longest running processor for workqueue been running.',
      labelNames,
      registers: [metricsRegistry],
      collect() {
        for (const { labels, ages } of inFlightSources.values()) this.set(labels, ages().longestSeconds);
      },
    }),
);

/** Reports a queue's in-flight ages on the two gauges above until {@link stopWatchingInFlight}. */
export function watchInFlight(labels: { name: string; controller: string }, ages: () => InFlightAges): void {
  inFlightSources.set(`${labels.name}\u0000${labels.controller}`, { labels, ages });
}

/** Stops reporting a queue (shut down) and removes its series. */
export function stopWatchingInFlight(labels: { name: string; controller: string }): void {
  inFlightSources.delete(`${labels.name}\u0000${labels.controller}`);
  workqueueUnfinishedWork.remove(labels);
  workqueueLongestRunningProcessor.remove(labels);
}
