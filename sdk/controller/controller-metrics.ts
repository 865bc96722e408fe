import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry, singletonMetric } from '../metrics/registry.ts';

// controller-runtime's reconcile metrics, same names and labels.
export const reconcileTotal = singletonMetric(
  'controller_runtime_reconcile_total',
  () =>
    new Counter({
      name: 'controller_runtime_reconcile_total',
      help: 'Total number of reconciliations per controller',
      labelNames: ['controller', 'result'] as const,
      registers: [metricsRegistry],
    }),
);
export const reconcileErrors = singletonMetric(
  'controller_runtime_reconcile_errors_total',
  () =>
    new Counter({
      name: 'controller_runtime_reconcile_errors_total',
      help: 'Total number of reconciliation errors per controller',
      labelNames: ['controller'] as const,
      registers: [metricsRegistry],
    }),
);
export const terminalReconcileErrors = singletonMetric(
  'controller_runtime_terminal_reconcile_errors_total',
  () =>
    new Counter({
      name: 'controller_runtime_terminal_reconcile_errors_total',
      help: 'Total number of terminal reconciliation errors per controller',
      labelNames: ['controller'] as const,
      registers: [metricsRegistry],
    }),
);
export const reconcileTime = singletonMetric(
  'controller_runtime_reconcile_time_seconds',
  () =>
    new Histogram({
      name: 'controller_runtime_reconcile_time_seconds',
      help: 'Length of time per reconciliation per controller',
      labelNames: ['controller'] as const,
      buckets: [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
        1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
      ],
      registers: [metricsRegistry],
    }),
);
export const maxConcurrentReconciles = singletonMetric(
  'controller_runtime_max_concurrent_reconciles',
  () =>
    new Gauge({
      name: 'controller_runtime_max_concurrent_reconciles',
      help: 'Maximum number of concurrent reconciles per controller',
      labelNames: ['controller'] as const,
      registers: [metricsRegistry],
    }),
);
export const activeWorkers = singletonMetric(
  'controller_runtime_active_workers',
  () =>
    new Gauge({
      name: 'controller_runtime_active_workers',
      help: 'Number of currently used workers per controller',
      labelNames: ['controller'] as const,
      registers: [metricsRegistry],
    }),
);
