import type { ConditionStatus } from '../api/types.ts';
import type { BoundaryChoice } from './bucket-boundary.ts';
import type { ReplicaCost } from './cost-model.ts';
import {
  formatDollars,
  formatLatency,
  formatPercent,
  formatRate,
  formatWindow,
  replicasText,
} from './format.ts';
import type { CheckedMetrics } from './observation.ts';
import type { SlaSettings } from './settings.ts';

// The conditions that describe what was observed (as opposed to what was decided): is the data
// there, is the indicator exact, is the objective met, is the cost within the ceiling. Reasons
// are stable CamelCase words that tests, alerts and people can match on.

/** The condition types of an ApiSla. */
export type SlaConditionType =
  'Ready' | 'MetricsAvailable' | 'IndicatorExact' | 'ObjectiveMet' | 'CostWithinLimit' | 'Achievable';

/** A condition without its timestamps (the status builder adds them). */
export interface SlaConditionValue {
  readonly type: SlaConditionType;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
}

const condition = (
  type: SlaConditionType,
  status: ConditionStatus,
  reason: string,
  message: string,
): SlaConditionValue => ({ type, status, reason, message });

/** MetricsAvailable: True when the reading can be acted on (little traffic included). */
export function metricsCondition(checked: CheckedMetrics, settings: SlaSettings): SlaConditionValue {
  if (!checked.ok) return condition('MetricsAvailable', 'False', checked.problem, checked.message);
  return condition(
    'MetricsAvailable',
    'True',
    'MetricsRead',
    `read ${settings.prometheus.metric} from ${settings.prometheus.url}`,
  );
}

/** IndicatorExact: whether the latency target is a bucket boundary of the histogram. */
export function indicatorCondition(
  boundary: BoundaryChoice | undefined,
  settings: SlaSettings,
): SlaConditionValue {
  const target = formatLatency(settings.objective.latencySeconds);
  const metric = settings.prometheus.metric;
  if (boundary === undefined)
    return condition(
      'IndicatorExact',
      'Unknown',
      'BoundariesUnknown',
      `the buckets of ${metric} could not be listed`,
    );
  switch (boundary.kind) {
    case 'exact':
      return condition(
        'IndicatorExact',
        'True',
        'BoundaryMatchesTarget',
        `${metric} has a bucket at ${target}`,
      );
    case 'lower':
      return condition(
        'IndicatorExact',
        'False',
        'NearestLowerBoundary',
        `${target} is not a bucket boundary of ${metric}; measuring requests ≤ ${formatLatency(boundary.seconds)} (le="${boundary.les.join('|')}"), which is stricter; add a ${target} bucket for an exact indicator`,
      );
    case 'none':
      return condition(
        'IndicatorExact',
        'False',
        boundary.reason,
        `${boundary.message}; cannot measure ${target}`,
      );
  }
}

/** ObjectiveMet: the long-window good share against the objective. */
export function objectiveCondition(
  checked: CheckedMetrics,
  boundary: BoundaryChoice | undefined,
  settings: SlaSettings,
): SlaConditionValue {
  if (!checked.ok)
    return condition('ObjectiveMet', 'Unknown', 'MetricsUnavailable', 'the metrics cannot be read');
  const { metrics } = checked;
  if (!checked.traffic)
    return condition(
      'ObjectiveMet',
      'Unknown',
      'NoTraffic',
      `${formatRate(metrics.requestRate)} requests/s is below spec.minRequestRate (${settings.minRequestRate}/s)`,
    );
  const seconds = boundary && boundary.kind !== 'none' ? boundary.seconds : settings.objective.latencySeconds;
  const observed = `${formatPercent(metrics.longGoodRatio)} of requests took ≤ ${formatLatency(seconds)} over ${formatWindow(settings.longWindowMs)}`;
  const objective = `objective ${formatPercent(settings.objective.ratio, 4)}`;
  return metrics.longGoodRatio >= settings.objective.ratio
    ? condition('ObjectiveMet', 'True', 'ObjectiveMet', `${observed} (${objective})`)
    : condition('ObjectiveMet', 'False', 'ObjectiveMissed', `${observed}, below the ${objective}`);
}

/** CostWithinLimit: the current replicas' cost against the ceiling. */
export function costCondition(
  cost: ReplicaCost | undefined,
  settings: SlaSettings,
  currentReplicas: number,
): SlaConditionValue {
  const ceiling = settings.objective.costPerHour;
  if (ceiling === undefined)
    return condition('CostWithinLimit', 'True', 'NoCeiling', 'spec.cost sets no ceiling');
  if (cost === undefined)
    return condition(
      'CostWithinLimit',
      'Unknown',
      'CostUnknown',
      'the pod template or the prices could not be read',
    );
  if (!(cost.costPerReplica > 0))
    return condition(
      'CostWithinLimit',
      'Unknown',
      'NoResourceRequests',
      'the pods request no CPU or memory, so the ceiling bounds nothing; set resource requests',
    );
  const unpriced = cost.unpriced.length > 0 ? `; not priced: ${cost.unpriced.join(', ')} (no request)` : '';
  const perReplica = `$${formatDollars(cost.costPerReplica)}/h each${unpriced}`;
  const minCost = settings.minReplicas * cost.costPerReplica;
  if (minCost > ceiling)
    return condition(
      'CostWithinLimit',
      'False',
      'MinReplicasExceedCeiling',
      `spec.minReplicas (${settings.minReplicas}) costs $${formatDollars(minCost)}/h, above the $${formatDollars(ceiling)}/h ceiling (${perReplica})`,
    );
  const current = currentReplicas * cost.costPerReplica;
  const text = `${replicasText(currentReplicas)} cost $${formatDollars(current)}/h of the $${formatDollars(ceiling)}/h ceiling (${perReplica})`;
  return current <= ceiling + 1e-9
    ? condition('CostWithinLimit', 'True', 'WithinCeiling', text)
    : condition('CostWithinLimit', 'False', 'CeilingExceeded', text);
}
