import { Counter, Histogram } from 'prom-client';
import { metricsRegistry, singletonMetric } from '../metrics/registry.ts';

/** client-go's request metrics, under the names controller-runtime registers them. */
export const restClientRequests = singletonMetric(
  'rest_client_requests_total',
  () =>
    new Counter({
      name: 'rest_client_requests_total',
      help: 'Number of HTTP requests, partitioned by status code, method, and host.',
      labelNames: ['code', 'method', 'host'] as const,
      registers: [metricsRegistry],
    }),
);

export const restClientLatency = singletonMetric(
  'rest_client_request_duration_seconds',
  () =>
    new Histogram({
      name: 'rest_client_request_duration_seconds',
      help: 'Request latency in seconds. Broken down by verb, and host.',
      labelNames: ['verb', 'host'] as const,
      buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
      registers: [metricsRegistry],
    }),
);
