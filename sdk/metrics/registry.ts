import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The registry every Typerator component records into, like controller-runtime's global
 * `metrics.Registry`; the manager serves it on /metrics. Metric names and labels follow
 * controller-runtime and client-go so existing dashboards and alerts keep working.
 */
export const metricsRegistry = new Registry();

let processMetricsOn = false;

/**
 * Adds the process and Node.js runtime metrics every prom-client service exports (`process_*`,
 * `nodejs_*`: CPU, memory, file descriptors, event-loop lag, GC), once per process.
 */
export function collectProcessMetrics(): void {
  if (processMetricsOn) return;
  processMetricsOn = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

/** Returns the metric registered under `name`, creating it once (metrics are process-wide). */
export function singletonMetric<M>(name: string, create: () => M): M {
  const existing = metricsRegistry.getSingleMetric(name);
  return (existing as M | undefined) ?? create();
}
