import type { ApiSlaHistory, ApiSlaScaleUpRecord, ReplicaLimit, SlaAction } from '../api/types.ts';
import { burnRate, errorBudgetRemaining } from './burn-rate.ts';
import {
  costCondition,
  indicatorCondition,
  metricsCondition,
  objectiveCondition,
  type SlaConditionValue,
} from './conditions.ts';
import { ceilingReplicas } from './cost-model.ts';
import {
  formatDollars,
  formatLatency,
  formatPercent,
  formatRate,
  formatWindow,
  replicasText,
} from './format.ts';
import { checkMetrics, type CheckedMetrics, type SlaMetrics, type SlaObservation } from './observation.ts';
import type { SlaSettings } from './settings.ts';

// The one decision function: (settings, observation, history, now) → what to do and why. Pure and
// deterministic, so the same recorded series replayed on virtual time gives the same decisions.
//
// Order of precedence: a conflicting autoscaler stops everything; then the replica bounds of the
// spec (min, max, cost ceiling) are enforced, as they do not depend on metrics; then bad data
// holds; then too little traffic holds; then the burn rates decide: both above 1 → scale up in
// proportion (crediting pods still starting and waiting to see each scale-up's effect); both well
// under 1 for the stabilisation window with budget left → one step down; anything else → hold.

/** Both burn rates above this: the budget is being spent too fast, scale up. */
export const SCALE_UP_BURN_RATE = 1;
/** Both burn rates under this for the stabilisation window: step down. Between the two: hold. */
export const SCALE_DOWN_BURN_RATE = 0.5;
/** A scale-up multiplies the ready replicas by the short burn rate, at most by this. */
export const MAX_SCALE_UP_FACTOR = 2;
/** Replicas removed per scale-down step. */
export const SCALE_DOWN_STEP = 1;
/** Share of the window's error budget that must be left to scale down. */
export const MIN_BUDGET_FOR_SCALE_DOWN = 0.1;
/** A scale-up helped if the short-window bad share fell below this fraction of what it was. */
export const HELPED_BAD_RATIO_FACTOR = 0.8;
/** ...and it was a fair test if requests per ready pod fell below this fraction of what they were. */
export const LOAD_DROP_FACTOR = 0.9;
/**
 * Latency climbs steeply near saturation, so a burn-rate dead band alone would let the operator
 * step down into the load that makes it scale up again (a flap). Two guards: a step down may not
 * raise requests per ready pod above this fraction of the lowest per-pod load that ever needed a
 * scale-up, ...
 */
export const SCALE_DOWN_LOAD_MARGIN = 0.8;
/**
 * ... nor, predicting the slow share to grow with (load per pod)^this exponent (a conservative
 * stand-in for a queue's knee), push the short burn rate above SCALE_UP_BURN_RATE.
 */
export const SCALE_DOWN_PREDICTION_EXPONENT = 4;
/**
 * The prediction starts from a slow share no smaller than this many requests of those seen over
 * the long window: a window with no slow request out of a few hundred cannot tell 0% from 1%, and a
 * prediction from 0 would allow any step down (seen in the integration test: 20 req/s on 2 pods,
 * about 2 slow requests per 10 s, sometimes none, and 1 pod would be saturated). 3 is the rule of
 * three: the 95% upper bound of a share when none of n was seen is about 3/n.
 */
export const SCALE_DOWN_EVIDENCE_REQUESTS = 3;

/** Why a decision was made; stable CamelCase words. */
export type DecisionReason =
  | 'TargetConflict'
  | 'BelowMinReplicas'
  | 'AboveMaxReplicas'
  | 'AboveCostCeiling'
  | 'QueryFailed'
  | 'NoSeries'
  | 'Stale'
  | 'NotANumber'
  | 'NoUsableBucket'
  | 'NoTraffic'
  | 'BudgetBurning'
  | 'PodsStarting'
  | 'AwaitingEffect'
  | 'ScalingIneffective'
  | 'CostCeilingBinds'
  | 'MaxReplicasBinds'
  | 'LowBurnRate'
  | 'Stabilizing'
  | 'BudgetLow'
  | 'ScaleDownUnsafe'
  | 'AtMinReplicas'
  | 'WithinDeadBand';

/** What the numbers say, once they are fit to act on. */
export interface SlaIndicators {
  /** Good share over the long window. */
  readonly goodRatio: number;
  readonly shortGoodRatio: number;
  readonly shortBurnRate: number;
  readonly longBurnRate: number;
  readonly errorBudgetRemaining: number;
  readonly requestRate: number;
  readonly requestsPerReadyPod: number;
}

/** The decision function's input. `history` is what the previous decision returned. */
export interface DecisionInput {
  readonly settings: SlaSettings;
  readonly observation: SlaObservation;
  readonly history: ApiSlaHistory | undefined;
  /** Milliseconds since the epoch, or a Date. */
  readonly now: number | Date;
}

/** What to do, why, and what to remember. */
export interface Decision {
  readonly action: SlaAction;
  /** True in Advise mode: the same decision, reported and never applied. */
  readonly advisory: boolean;
  readonly currentReplicas: number;
  readonly readyReplicas: number;
  /** The replica count to set (equal to current for Hold). */
  readonly desiredReplicas: number;
  /** The bound that held the count back, if any. */
  readonly limitedBy: ReplicaLimit | undefined;
  /** Most replicas the cost ceiling pays for; undefined without a ceiling or a known cost. */
  readonly ceilingReplicas: number | undefined;
  readonly reason: DecisionReason;
  /** One sentence for status.message and the event. */
  readonly message: string;
  /** All six conditions, in a fixed order. */
  readonly conditions: readonly SlaConditionValue[];
  /** Undefined when the metrics could not be used or traffic was too low. */
  readonly indicators: SlaIndicators | undefined;
  /** Requests per second, whenever it was read. */
  readonly requestRate: number | undefined;
  /** The history to pass to the next decision (and to keep in status.history). */
  readonly history: ApiSlaHistory;
}

/** The core of a decision before messages and conditions are attached. */
interface Outcome {
  readonly action: SlaAction;
  readonly desired: number;
  readonly reason: DecisionReason;
  readonly cause: string;
  readonly limitedBy?: ReplicaLimit;
  /** A scale-up the objective needs was cut short by a bound. */
  readonly blocked?: 'CostCeilingBinds' | 'MaxReplicasBinds';
}

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly ceiling: number | undefined;
  /** min(max, ceiling), never below min: minReplicas wins over the ceiling (see CostWithinLimit). */
  readonly upper: number;
}

function replicaBounds(settings: SlaSettings, observation: SlaObservation): Bounds {
  const costPerHour = settings.objective.costPerHour;
  const perReplica = observation.cost?.costPerReplica;
  const ceiling =
    costPerHour === undefined || perReplica === undefined
      ? undefined
      : ceilingReplicas(costPerHour, perReplica);
  const upper = Math.max(settings.minReplicas, Math.min(settings.maxReplicas, ceiling ?? Infinity));
  return { min: settings.minReplicas, max: settings.maxReplicas, ceiling, upper };
}

/** Which bound stops `wanted`: the ceiling wins when both do. */
function bindingLimit(bounds: Bounds, wanted: number): ReplicaLimit | undefined {
  if (wanted <= bounds.upper) return undefined;
  return bounds.ceiling !== undefined && bounds.ceiling <= bounds.max ? 'CostCeiling' : 'MaxReplicas';
}

function indicatorsOf(metrics: SlaMetrics, settings: SlaSettings, ready: number): SlaIndicators {
  const objective = settings.objective.ratio;
  // Rounding can push a good share a hair above 1; a ratio of sums cannot really exceed it.
  const clamp = (ratio: number) => Math.min(1, Math.max(0, ratio));
  return {
    goodRatio: clamp(metrics.longGoodRatio),
    shortGoodRatio: clamp(metrics.shortGoodRatio),
    shortBurnRate: burnRate(clamp(metrics.shortGoodRatio), objective),
    longBurnRate: burnRate(clamp(metrics.longGoodRatio), objective),
    errorBudgetRemaining: errorBudgetRemaining(clamp(metrics.windowGoodRatio), objective),
    requestRate: metrics.requestRate,
    requestsPerReadyPod: metrics.requestRate / Math.max(ready, 1),
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const since = (text: string | undefined, fallback: number) =>
  text === undefined ? fallback : Date.parse(text);

/** The history as it enters this decision: a new spec generation forgets an ineffectiveness verdict. */
function carryHistory(history: ApiSlaHistory | undefined, generation: number | undefined): ApiSlaHistory {
  const previous = history ?? {};
  if (generation === undefined || previous.generation === generation) return previous;
  const { ineffective: _dropped, ...rest } = previous;
  return { ...rest, generation };
}

interface EffectCheck {
  readonly record: ApiSlaScaleUpRecord | undefined;
  readonly ineffective: ApiSlaHistory['ineffective'];
}

/**
 * After a scale-up: once every asked-for pod is ready and a short window has passed, compare the
 * short-window bad share with what it was. If it did not fall although each ready pod now gets
 * fewer requests, more replicas do not help (the bottleneck is elsewhere).
 */
function checkEffect(
  history: ApiSlaHistory,
  indicators: SlaIndicators,
  replicas: { current: number; ready: number },
  settings: SlaSettings,
  upper: number,
  now: number,
): EffectCheck {
  const record = history.lastScaleUp;
  if (!record || record.checked === true) return { record, ineffective: history.ineffective };
  // Someone else changed the replicas since: the comparison would say nothing.
  if (replicas.current < record.to)
    return { record: { ...record, checked: true }, ineffective: history.ineffective };
  if (replicas.ready < record.to) return { record, ineffective: history.ineffective };
  const readyAt = record.readyAt ?? iso(now);
  if (now - Date.parse(readyAt) < settings.shortWindowMs)
    return { record: { ...record, readyAt }, ineffective: history.ineffective };
  const badNow = 1 - indicators.shortGoodRatio;
  const helped =
    badNow <= record.badRatio * HELPED_BAD_RATIO_FACTOR || indicators.shortBurnRate <= SCALE_UP_BURN_RATE;
  const loadFell = indicators.requestsPerReadyPod <= record.requestsPerReadyPod * LOAD_DROP_FACTOR;
  const checked = { ...record, readyAt, checked: true };
  // A scale-up cut short by a bound may leave a saturated service just as slow: no verdict then,
  // the binding bound is the explanation.
  if (helped || !loadFell || record.to >= upper) return { record: checked, ineffective: history.ineffective };
  const loadDrop = 1 - indicators.requestsPerReadyPod / record.requestsPerReadyPod;
  return {
    record: checked,
    ineffective: {
      since: iso(now),
      replicas: replicas.current,
      detail: `the scale-up from ${record.from} to ${record.to} left ${formatPercent(badNow)} of requests slow (${formatPercent(record.badRatio)} before) although each ready pod got ${formatPercent(loadDrop, 0)} fewer requests`,
    },
  };
}

function burnText(indicators: SlaIndicators, settings: SlaSettings): string {
  return `burn rate ${formatRate(indicators.shortBurnRate)} over ${formatWindow(settings.shortWindowMs)}, ${formatRate(indicators.longBurnRate)} over ${formatWindow(settings.longWindowMs)}`;
}

/** The scale-up branch: both burn rates above 1. */
function scaleUp(
  indicators: SlaIndicators,
  history: ApiSlaHistory,
  record: ApiSlaScaleUpRecord | undefined,
  replicas: { current: number; ready: number },
  bounds: Bounds,
  settings: SlaSettings,
): Outcome {
  const { current, ready } = replicas;
  const slow = `${formatPercent(1 - indicators.shortGoodRatio)} of requests took over ${formatLatency(settings.objective.latencySeconds)} (${burnText(indicators, settings)})`;
  if (history.ineffective)
    return {
      action: 'Hold',
      desired: current,
      reason: 'ScalingIneffective',
      cause: `${history.ineffective.detail}; the bottleneck is elsewhere, so no more replicas are added while ${slow}`,
    };
  // Proportional to the burn, from the pods that serve now; pods still starting count as coming.
  const factor = Math.min(indicators.shortBurnRate, MAX_SCALE_UP_FACTOR);
  const wanted = Math.max(Math.ceil(ready * factor - 1e-9), ready + 1);
  if (wanted <= current && current > ready)
    return {
      action: 'Hold',
      desired: current,
      reason: 'PodsStarting',
      cause: `${current - ready} of ${current} pods are not ready yet, enough for now while ${slow}`,
    };
  if (record && record.checked !== true)
    return {
      action: 'Hold',
      desired: current,
      reason: 'AwaitingEffect',
      cause: `waiting ${formatWindow(settings.shortWindowMs)} after the scale-up to ${record.to} to see its effect while ${slow}`,
    };
  const limitedBy = bindingLimit(bounds, wanted);
  const desired = Math.min(wanted, bounds.upper);
  const blocked =
    limitedBy === 'CostCeiling' ? 'CostCeilingBinds' : limitedBy ? 'MaxReplicasBinds' : undefined;
  const limitText =
    limitedBy === 'CostCeiling'
      ? `the $${formatDollars(settings.objective.costPerHour ?? 0)}/h ceiling pays for ${replicasText(bounds.ceiling ?? 0)}`
      : `spec.maxReplicas is ${bounds.max}`;
  if (desired <= current && blocked)
    return {
      action: 'Hold',
      desired: current,
      reason: blocked,
      cause: `about ${replicasText(wanted)} are needed but ${limitText}, while ${slow}`,
      limitedBy: limitedBy ?? 'MaxReplicas',
      blocked,
    };
  return {
    action: 'ScaleUp',
    desired,
    reason: 'BudgetBurning',
    cause: blocked ? `${slow}; ${replicasText(wanted)} wanted but ${limitText}` : slow,
    ...(limitedBy ? { limitedBy } : {}),
    ...(blocked ? { blocked } : {}),
  };
}

/** The scale-down branch: both burn rates under SCALE_DOWN_BURN_RATE. */
function scaleDown(
  indicators: SlaIndicators,
  lowSince: number,
  history: ApiSlaHistory,
  replicas: { current: number; ready: number },
  bounds: Bounds,
  settings: SlaSettings,
  now: number,
): Outcome {
  const { current, ready } = replicas;
  const low = `burn rates are low (${burnText(indicators, settings)})`;
  const hold = (reason: DecisionReason, cause: string): Outcome => ({
    action: 'Hold',
    desired: current,
    reason,
    cause,
  });
  if (current <= bounds.min)
    return hold('AtMinReplicas', `${low} and the target is at spec.minReplicas (${bounds.min})`);
  if (current > ready) return hold('PodsStarting', `${low} but ${current - ready} pods are not ready yet`);
  const lowFor = now - lowSince;
  if (lowFor < settings.stabilizationWindowMs)
    return hold(
      'Stabilizing',
      `${low} for ${formatWindow(lowFor)} of the ${formatWindow(settings.stabilizationWindowMs)} stabilisation window`,
    );
  if (indicators.errorBudgetRemaining < MIN_BUDGET_FOR_SCALE_DOWN)
    return hold(
      'BudgetLow',
      `${low} but only ${formatPercent(Math.max(0, indicators.errorBudgetRemaining), 0)} of the error budget is left`,
    );
  const desired = Math.max(current - SCALE_DOWN_STEP, bounds.min);
  const loadAfter = indicators.requestRate / desired;
  const saturation = history.saturationPerPod;
  if (saturation !== undefined && loadAfter > saturation * SCALE_DOWN_LOAD_MARGIN)
    return hold(
      'ScaleDownUnsafe',
      `${low} but ${replicasText(desired)} would get ${formatRate(loadAfter)} requests/s each, near the ${formatRate(saturation)}/s per pod that needed a scale-up before`,
    );
  // From the larger of the two windows' burn rates (the short one alone is noisy) and never from
  // less than the evidence floor.
  const requestsSeen = (indicators.requestRate * settings.longWindowMs) / 1000;
  const floor = SCALE_DOWN_EVIDENCE_REQUESTS / Math.max(requestsSeen, 1) / (1 - settings.objective.ratio);
  const base = Math.max(indicators.shortBurnRate, indicators.longBurnRate, floor);
  const predicted = base * (current / desired) ** SCALE_DOWN_PREDICTION_EXPONENT;
  if (predicted > SCALE_UP_BURN_RATE)
    return hold(
      'ScaleDownUnsafe',
      `${low} but ${replicasText(desired)} would likely burn the budget again (predicted burn rate ${formatRate(predicted)})`,
    );
  return {
    action: 'ScaleDown',
    desired,
    reason: 'LowBurnRate',
    cause: `${low} for ${formatWindow(lowFor)}`,
  };
}

/** Enforces min, max and the ceiling whatever the metrics say (they come from the spec). */
function boundsCorrection(
  current: number,
  bounds: Bounds,
  settings: SlaSettings,
  observation: SlaObservation,
): Outcome | undefined {
  if (current < bounds.min)
    return {
      action: 'ScaleUp',
      desired: bounds.min,
      reason: 'BelowMinReplicas',
      cause: `spec.minReplicas is ${bounds.min}`,
      limitedBy: 'MinReplicas',
    };
  if (current <= bounds.upper) return undefined;
  if (
    bounds.ceiling !== undefined &&
    bounds.upper === Math.max(bounds.min, bounds.ceiling) &&
    bounds.ceiling < bounds.max
  ) {
    const perReplica = observation.cost?.costPerReplica ?? 0;
    return {
      action: 'ScaleDown',
      desired: bounds.upper,
      reason: 'AboveCostCeiling',
      cause: `${replicasText(current)} cost $${formatDollars(current * perReplica)}/h, above the $${formatDollars(settings.objective.costPerHour ?? 0)}/h ceiling`,
      limitedBy: 'CostCeiling',
    };
  }
  return {
    action: 'ScaleDown',
    desired: bounds.upper,
    reason: 'AboveMaxReplicas',
    cause: `spec.maxReplicas is ${bounds.max}`,
    limitedBy: 'MaxReplicas',
  };
}

function sentence(outcome: Outcome, current: number, advisory: boolean): string {
  const change =
    outcome.action === 'Hold'
      ? `holding ${replicasText(current)}`
      : `${outcome.action === 'ScaleUp' ? 'scaling up' : 'scaling down'} from ${current} to ${replicasText(outcome.desired)}`;
  const text =
    advisory && outcome.action !== 'Hold'
      ? `Advice, not applied (mode Advise): ${change}`
      : `${change[0]?.toUpperCase() ?? ''}${change.slice(1)}`;
  return `${text}: ${outcome.cause}.`;
}

function achievableCondition(
  outcome: Outcome,
  checked: CheckedMetrics,
  history: ApiSlaHistory,
  cost: SlaConditionValue,
  bounds: Bounds,
): SlaConditionValue {
  const make = (status: SlaConditionValue['status'], reason: string, message: string): SlaConditionValue => ({
    type: 'Achievable',
    status,
    reason,
    message,
  });
  if (outcome.reason === 'TargetConflict') return make('False', 'TargetConflict', outcome.cause);
  if (history.ineffective)
    return make('False', 'ScalingIneffective', `${history.ineffective.detail}; the bottleneck is elsewhere`);
  if (outcome.blocked) return make('False', outcome.blocked, outcome.cause);
  if (cost.reason === 'MinReplicasExceedCeiling') return make('False', 'CostCeilingBinds', cost.message);
  if (!checked.ok) return make('Unknown', 'MetricsUnavailable', checked.message);
  if (!checked.traffic) return make('Unknown', 'NoTraffic', 'too few requests to judge the objective');
  const room =
    bounds.ceiling !== undefined && bounds.ceiling < bounds.max
      ? `${bounds.upper} (cost ceiling)`
      : `${bounds.upper}`;
  return make(
    'True',
    'WithinBounds',
    `scaling is not held back; up to ${replicasText(bounds.upper).replace(String(bounds.upper), room)} allowed`,
  );
}

function readyCondition(
  outcome: Outcome,
  message: string,
  conditions: readonly SlaConditionValue[],
): SlaConditionValue {
  const find = (type: SlaConditionValue['type']) => conditions.find((c) => c.type === type);
  const metrics = find('MetricsAvailable');
  const objective = find('ObjectiveMet');
  const cost = find('CostWithinLimit');
  const make = (status: SlaConditionValue['status'], reason: string): SlaConditionValue => ({
    type: 'Ready',
    status,
    reason,
    message,
  });
  if (outcome.reason === 'TargetConflict') return make('False', 'TargetConflict');
  if (metrics?.status === 'False') return make('False', metrics.reason);
  if (objective?.status === 'Unknown') return make('Unknown', objective.reason);
  if (objective?.status === 'False') return make('False', 'ObjectiveMissed');
  if (cost?.status === 'False') return make('False', cost.reason);
  return make('True', 'ObjectiveMet');
}

/** Decides what to do about one ApiSla now. */
export function decide(input: DecisionInput): Decision {
  const { settings, observation } = input;
  const now = typeof input.now === 'number' ? input.now : input.now.getTime();
  const { current, ready } = observation.replicas;
  const advisory = settings.mode === 'Advise';
  const bounds = replicaBounds(settings, observation);
  const checked = checkMetrics(observation.metrics, observation.boundary, settings, now);
  const indicators =
    checked.ok && checked.traffic ? indicatorsOf(checked.metrics, settings, ready) : undefined;
  let history = carryHistory(input.history, settings.generation);

  // The effectiveness check runs on every good reading, whatever is decided next.
  let record = history.lastScaleUp;
  if (indicators) {
    const effect = checkEffect(history, indicators, observation.replicas, settings, bounds.upper, now);
    record = effect.record;
    history = { ...history, ...(effect.ineffective ? { ineffective: effect.ineffective } : {}) };
    // Both windows back under 1: whatever did not help before no longer matters.
    if (indicators.shortBurnRate <= SCALE_UP_BURN_RATE && indicators.longBurnRate <= SCALE_UP_BURN_RATE) {
      const { ineffective: _cleared, ...rest } = history;
      history = rest;
    }
  }

  const low =
    indicators !== undefined &&
    indicators.shortBurnRate < SCALE_DOWN_BURN_RATE &&
    indicators.longBurnRate < SCALE_DOWN_BURN_RATE;
  const lowSince = low ? since(history.lowBurnSince, now) : undefined;

  let outcome: Outcome;
  const conflict = observation.conflict;
  if (conflict) {
    outcome = {
      action: 'Hold',
      desired: current,
      reason: 'TargetConflict',
      cause: `${conflict.kind} ${conflict.name} already scales the same workload; remove it or this ApiSla`,
    };
  } else {
    const correction = boundsCorrection(current, bounds, settings, observation);
    if (correction) outcome = correction;
    else if (!checked.ok)
      outcome = { action: 'Hold', desired: current, reason: checked.problem, cause: checked.message };
    else if (!indicators)
      outcome = {
        action: 'Hold',
        desired: current,
        reason: 'NoTraffic',
        cause: `${formatRate(checked.metrics.requestRate)} requests/s is below spec.minRequestRate (${settings.minRequestRate}/s), too few to judge latency`,
      };
    else if (indicators.shortBurnRate > SCALE_UP_BURN_RATE && indicators.longBurnRate > SCALE_UP_BURN_RATE)
      outcome = scaleUp(indicators, history, record, observation.replicas, bounds, settings);
    else if (lowSince !== undefined)
      outcome = scaleDown(indicators, lowSince, history, observation.replicas, bounds, settings, now);
    else
      outcome = {
        action: 'Hold',
        desired: current,
        reason: 'WithinDeadBand',
        cause: `${formatPercent(indicators.goodRatio)} of requests within ${formatLatency(settings.objective.latencySeconds)} over ${formatWindow(settings.longWindowMs)}; ${burnText(indicators, settings)}, between ${SCALE_DOWN_BURN_RATE} and ${SCALE_UP_BURN_RATE} or not sustained in both windows`,
      };
  }

  // History for the next decision.
  let nextLowSince = lowSince === undefined ? undefined : iso(lowSince);
  // Each step down restarts the stabilisation window, so the next step sees the smaller fleet.
  if (outcome.action === 'ScaleDown' && outcome.reason === 'LowBurnRate') nextLowSince = iso(now);
  // Advice changes nothing, so there is no scale-up whose effect could be checked.
  if (outcome.action === 'ScaleUp' && outcome.reason === 'BudgetBurning' && !advisory && indicators)
    record = {
      time: iso(now),
      from: current,
      to: outcome.desired,
      badRatio: 1 - indicators.shortGoodRatio,
      requestsPerReadyPod: indicators.requestsPerReadyPod,
    };
  let saturation = history.saturationPerPod;
  if (record && record.time === iso(now))
    saturation = Math.min(saturation ?? Infinity, record.requestsPerReadyPod);
  const { lowBurnSince: _old, lastScaleUp: _oldRecord, saturationPerPod: _oldSaturation, ...kept } = history;
  const nextHistory: ApiSlaHistory = {
    ...kept,
    ...(nextLowSince ? { lowBurnSince: nextLowSince } : {}),
    ...(record ? { lastScaleUp: record } : {}),
    ...(saturation === undefined ? {} : { saturationPerPod: saturation }),
  };

  const cost = costCondition(observation.cost, settings, current);
  const message = sentence(outcome, current, advisory);
  const observed = [
    metricsCondition(checked, settings),
    indicatorCondition(observation.boundary, settings),
    objectiveCondition(checked, observation.boundary, settings),
    cost,
    achievableCondition(outcome, checked, nextHistory, cost, bounds),
  ];
  return {
    action: outcome.action,
    advisory,
    currentReplicas: current,
    readyReplicas: ready,
    desiredReplicas: outcome.desired,
    limitedBy: outcome.limitedBy,
    ceilingReplicas: bounds.ceiling,
    reason: outcome.reason,
    message,
    conditions: [readyCondition(outcome, message, observed), ...observed],
    indicators,
    requestRate: checked.ok ? checked.metrics.requestRate : undefined,
    history: nextHistory,
  };
}
