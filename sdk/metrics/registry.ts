import { Registry } from 'prom-client';

/**
 * The registry every Typerator component records into, like controller-runtime's global
 * `metrics.Registry`; the manager serves it on /metrics. Metric names and labels follow
 * controller-runtime and client-go so existing dashboards and alerts keep working.
 */
export const metricsRegistry = new Registry();

/** Returns the metric registered under `name`, creating it once (metrics are process-wide). */
export function singletonMetric<M>(name: string, create: () => M): M {
  const existing = metricsRegistry.getSingleMetric(name);
  return (existing as M | undefined) ?? create();
}
