import type { ApiSlaCondition, ApiSlaDecision, ApiSlaStatus } from '../api/types.ts';
import type { SlaConditionValue } from './conditions.ts';
import type { Decision, DecisionReason } from './decide.ts';
import { formatDollars, formatPercent, objectiveText } from './format.ts';
import type { SlaObservation } from './observation.ts';
import type { SlaSettings } from './settings.ts';

// The status written after each decision. Conditions keep their lastTransitionTime unless their
// status changes; lastDecision only moves on a change worth remembering (a scaling action, or a
// new reason for being held back), so a steady state does not rewrite the status every interval.

/** Holds that block a scale-up the objective needs: recorded as the last decision when new. */
const NOTABLE_HOLDS: ReadonlySet<DecisionReason> = new Set([
  'TargetConflict',
  'CostCeilingBinds',
  'MaxReplicasBinds',
  'ScalingIneffective',
]);

/** Conditions with timestamps carried over, and the types whose status flipped (for events). */
export interface MergedConditions {
  readonly conditions: ApiSlaCondition[];
  readonly flipped: readonly SlaConditionValue[];
}

/** Merges new condition values into the previous ones. */
export function mergeConditions(
  previous: readonly ApiSlaCondition[] | undefined,
  next: readonly SlaConditionValue[],
  now: string,
  generation: number | undefined,
): MergedConditions {
  const flipped: SlaConditionValue[] = [];
  const conditions = next.map((value): ApiSlaCondition => {
    const before = previous?.find((c) => c.type === value.type);
    const changed = before?.status !== value.status;
    if (changed) flipped.push(value);
    return {
      type: value.type,
      status: value.status,
      ...(generation === undefined ? {} : { observedGeneration: generation }),
      lastTransitionTime: changed ? now : (before.lastTransitionTime ?? now),
      reason: value.reason,
      message: value.message,
    };
  });
  return { conditions, flipped };
}

/** The last decision to show: this one if it is worth remembering, otherwise the previous one. */
export function lastDecision(
  decision: Decision,
  previous: ApiSlaDecision | undefined,
  now: string,
): ApiSlaDecision | undefined {
  const notable =
    decision.action !== 'Hold' ||
    (NOTABLE_HOLDS.has(decision.reason) && previous?.reason !== decision.reason);
  if (!notable) return previous;
  return {
    time: now,
    action: decision.action,
    from: decision.currentReplicas,
    to: decision.desiredReplicas,
    reason: decision.reason,
    ...(decision.advisory ? { advisory: true } : {}),
  };
}

/** Everything the status is computed from. */
export interface StatusInput {
  readonly settings: SlaSettings;
  readonly observation: SlaObservation;
  readonly decision: Decision;
  readonly previous: ApiSlaStatus | undefined;
  readonly now: number | Date;
}

/** The status to write, and the conditions that flipped. */
export function buildStatus(input: StatusInput): {
  status: ApiSlaStatus;
  flipped: readonly SlaConditionValue[];
} {
  const { settings, observation, decision, previous } = input;
  const now = new Date(input.now).toISOString();
  const { objective, generation } = settings;
  const text = objectiveText(objective.ratio, objective.latencySeconds);
  const merged = mergeConditions(previous?.conditions, decision.conditions, now, generation);
  const indicators = decision.indicators;
  const perReplica = observation.cost?.costPerReplica;
  const currentCost = perReplica === undefined ? undefined : perReplica * decision.currentReplicas;
  const boundary = observation.boundary;
  const last = lastDecision(decision, previous?.lastDecision, now);
  const costText =
    currentCost === undefined
      ? undefined
      : `${formatDollars(currentCost)}${objective.costPerHour === undefined ? '' : `/${formatDollars(objective.costPerHour)}`}`;
  const status: ApiSlaStatus = {
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    objective: {
      ratio: objective.ratio,
      latencySeconds: objective.latencySeconds,
      ...(objective.costPerHour === undefined ? {} : { costPerHour: objective.costPerHour }),
      text,
    },
    ...(boundary && boundary.kind !== 'none'
      ? { indicator: { le: boundary.les.join('|'), exact: boundary.kind === 'exact' } }
      : {}),
    ...(indicators
      ? {
          goodRatio: indicators.goodRatio,
          burnRates: { short: indicators.shortBurnRate, long: indicators.longBurnRate },
          errorBudgetRemaining: indicators.errorBudgetRemaining,
        }
      : {}),
    ...(decision.requestRate === undefined ? {} : { requestRate: decision.requestRate }),
    ...(perReplica === undefined ? {} : { costPerReplica: perReplica }),
    ...(currentCost === undefined ? {} : { currentCost }),
    ...(objective.costPerHour === undefined ? {} : { ceilingCost: objective.costPerHour }),
    replicas: {
      current: decision.currentReplicas,
      ready: decision.readyReplicas,
      desired: decision.desiredReplicas,
      ...(decision.ceilingReplicas === undefined ? {} : { ceiling: decision.ceilingReplicas }),
      ...(decision.limitedBy === undefined ? {} : { limitedBy: decision.limitedBy }),
    },
    ...(last ? { lastDecision: last } : {}),
    message: decision.message,
    summary: {
      objective: text,
      ...(indicators
        ? {
            good: formatPercent(indicators.goodRatio),
            budgetLeft: formatPercent(indicators.errorBudgetRemaining, 0),
          }
        : {}),
      replicas: `${decision.currentReplicas}/${decision.desiredReplicas}`,
      ...(costText === undefined ? {} : { costPerHour: costText }),
    },
    history: decision.history,
    conditions: merged.conditions,
  };
  return { status, flipped: merged.flipped };
}
