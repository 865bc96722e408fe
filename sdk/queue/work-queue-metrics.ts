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
