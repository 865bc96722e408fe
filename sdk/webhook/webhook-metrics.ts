import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The controller-runtime webhook metrics, so existing dashboards and alerts work unchanged. */
export interface WebhookMetrics {
  readonly requests: Counter<'webhook' | 'code'>;
  readonly latency: Histogram<'webhook'>;
  readonly inFlight: Gauge<'webhook'>;
}

const REQUESTS = 'controller_runtime_webhook_requests_total';
const LATENCY = 'controller_runtime_webhook_latency_seconds';
const IN_FLIGHT = 'controller_runtime_webhook_requests_in_flight';

/** Registers the metrics in `registry`, or reuses them when another server already did. */
export function webhookMetrics(registry: Registry): WebhookMetrics {
  const existing = registry.getSingleMetric(REQUESTS);
  if (existing) {
    return {
      requests: existing as Counter<'webhook' | 'code'>,
      latency: registry.getSingleMetric(LATENCY) as Histogram<'webhook'>,
      inFlight: registry.getSingleMetric(IN_FLIGHT) as Gauge<'webhook'>,
    };
  }
  return {
    requests: new Counter({
      name: REQUESTS,
      help: 'Total number of admission requests by HTTP status code.',
      labelNames: ['webhook', 'code'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: LATENCY,
      help: 'Histogram of the latency of processing admission requests',
      labelNames: ['webhook'],
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: IN_FLIGHT,
      help: 'Current number of admission requests being served.',
      labelNames: ['webhook'],
      registers: [registry],
    }),
  };
}
