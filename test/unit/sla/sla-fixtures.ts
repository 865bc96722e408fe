import type { ApiSlaHistory, ApiSlaSpec } from '../../../operators/sla/api/types.ts';
import type { BoundaryChoice } from '../../../operators/sla/logic/bucket-boundary.ts';
import type { ReplicaCost } from '../../../operators/sla/logic/cost-model.ts';
import { decide, type Decision } from '../../../operators/sla/logic/decide.ts';
import type {
  MetricsReading,
  SlaObservation,
  TargetConflict,
} from '../../../operators/sla/logic/observation.ts';
import { resolveSettings, type SlaSettings } from '../../../operators/sla/logic/settings.ts';

// Shared pieces of the SLA decision tests: settings with windows of seconds (as the integration
// tests compress time), an exact 200ms bucket, and a small simulated service whose slow share
// rises steeply with load per ready pod, so closed-loop scenarios run on virtual time.

export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const EXACT: BoundaryChoice = { kind: 'exact', les: ['0.2'], seconds: 0.2 };

/** 99% ≤ 200ms, interval 10s, windows 30s / 2m / 1h, stabilisation 1m, 1–10 replicas. */
export function testSettings(overrides: Partial<ApiSlaSpec> = {}): SlaSettings {
  return resolveSettings({
    percent: '99%',
    latency: '200ms',
    selector: { app: 'web' },
    interval: '10s',
    shortWindow: '30s',
    longWindow: '2m',
    window: '1h',
    stabilizationWindow: '1m',
    ...overrides,
  });
}

/** A reading with the same good share in every window. */
export function reading(good: number, requestRate: number, readAt: number, longGood = good): MetricsReading {
  return {
    ok: true,
    metrics: {
      shortGoodRatio: good,
      longGoodRatio: longGood,
      windowGoodRatio: longGood,
      requestRate,
      readAt,
    },
  };
}

export function observation(
  metrics: MetricsReading,
  current: number,
  ready = current,
  extra: { cost?: ReplicaCost; conflict?: TargetConflict; boundary?: BoundaryChoice } = {},
): SlaObservation {
  return {
    metrics,
    boundary: extra.boundary ?? EXACT,
    replicas: { current, ready },
    cost: extra.cost,
    conflict: extra.conflict,
  };
}

/** A replica that costs `perHour`. */
export const costing = (perHour: number): ReplicaCost => ({
  costPerReplica: perHour,
  cpuCores: 0.5,
  memoryGiB: 0.5,
  unpriced: [],
});

/** One recorded step: the metrics seen at `t` seconds, with the replicas at that time. */
export interface RecordedStep {
  readonly t: number;
  readonly metrics: MetricsReading | ((at: number) => MetricsReading);
  readonly current: number;
  readonly ready?: number;
}

/** Replays recorded steps through decide(), carrying the history; returns every decision. */
export function replay(
  settings: SlaSettings,
  steps: readonly RecordedStep[],
  history?: ApiSlaHistory,
): Decision[] {
  const decisions: Decision[] = [];
  let carried = history;
  for (const step of steps) {
    const at = T0 + step.t * 1000;
    const metrics = typeof step.metrics === 'function' ? step.metrics(at) : step.metrics;
    const decision = decide({
      settings,
      observation: observation(metrics, step.current, step.ready ?? step.current),
      history: carried,
      now: at,
    });
    decisions.push(decision);
    carried = decision.history;
  }
  return decisions;
}

/** The simulated service: how slow requests get, and how fast pods start. */
export interface ServiceModel {
  /** Requests per second each pod serves before latency degrades. */
  readonly capacityPerPod: number;
  /** Slow share at a given load per ready pod ÷ capacity (utilisation). */
  readonly slowShare?: (utilisation: number) => number;
  /** Evaluations a new pod takes to become ready. */
  readonly readyAfterSteps?: number;
}

/** Queueing-like: 1% slow at 80% utilisation, rising with the 6th power (steep near saturation). */
export const steepLatency = (u: number) => Math.min(0.5, 0.01 * (u / 0.8) ** 6);

/** One evaluation of a closed-loop run. */
export interface LoopStep {
  readonly t: number;
  readonly load: number;
  readonly current: number;
  readonly ready: number;
  readonly decision: Decision;
}

/**
 * Runs the operator against the simulated service every interval for `loadAt(t)`: the service's
 * slow share follows the load per ready pod, the windows average what happened, and decisions are
 * applied (unless advisory) with pods becoming ready a few evaluations later.
 */
export function closedLoop(
  settings: SlaSettings,
  model: ServiceModel,
  loadAt: (t: number) => number,
  options: {
    readonly steps: number;
    readonly replicas: number;
    readonly cost?: ReplicaCost;
    readonly conflict?: TargetConflict;
    readonly metricsAt?: (t: number, normal: MetricsReading) => MetricsReading;
  },
): LoopStep[] {
  const interval = settings.intervalMs / 1000;
  const shortSteps = Math.round(settings.shortWindowMs / settings.intervalMs);
  const longSteps = Math.round(settings.longWindowMs / settings.intervalMs);
  const slowShare = model.slowShare ?? steepLatency;
  const readyAfter = model.readyAfterSteps ?? 2;
  const past: { load: number; slow: number }[] = [];
  // Pods are ready `readyAfter` steps after they were asked for.
  let current = options.replicas;
  let starting: number[] = [];
  let history: ApiSlaHistory | undefined;
  const out: LoopStep[] = [];
  for (let step = 0; step < options.steps; step++) {
    const t = step * interval;
    starting = starting.filter((readyAt) => readyAt > step);
    const ready = current - starting.length;
    const load = loadAt(t);
    past.push({ load, slow: slowShare(load / Math.max(ready, 1) / model.capacityPerPod) });
    const good = (n: number) => {
      const window = past.slice(-n);
      const requests = window.reduce((sum, p) => sum + p.load, 0);
      return 1 - window.reduce((sum, p) => sum + p.load * p.slow, 0) / requests;
    };
    const at = T0 + t * 1000;
    const normal: MetricsReading = {
      ok: true,
      metrics: {
        shortGoodRatio: good(shortSteps),
        longGoodRatio: good(longSteps),
        windowGoodRatio: good(past.length),
        requestRate: load,
        readAt: at,
      },
    };
    const metrics = options.metricsAt ? options.metricsAt(t, normal) : normal;
    const decision = decide({
      settings,
      observation: {
        metrics,
        boundary: EXACT,
        replicas: { current, ready },
        cost: options.cost,
        conflict: options.conflict,
      },
      history,
      now: at,
    });
    history = decision.history;
    out.push({ t, load, current, ready, decision });
    if (!decision.advisory && decision.desiredReplicas !== current) {
      if (decision.desiredReplicas > current)
        for (let i = current; i < decision.desiredReplicas; i++) starting.push(step + readyAfter);
      else starting = starting.slice(0, Math.max(0, starting.length - (current - decision.desiredReplicas)));
      current = decision.desiredReplicas;
    }
  }
  return out;
}

/** Scale actions as "t:from→to reason". */
export const actions = (run: readonly LoopStep[]) =>
  run
    .filter((s) => s.decision.action !== 'Hold')
    .map((s) => `${s.t}:${s.decision.currentReplicas}→${s.decision.desiredReplicas} ${s.decision.reason}`);

/** Times a scale-down followed a scale-up or the reverse. */
export function directionChanges(run: readonly LoopStep[]): number {
  let last: string | undefined;
  let changes = 0;
  for (const s of run) {
    if (s.decision.action === 'Hold' || s.decision.advisory) continue;
    if (last !== undefined && last !== s.decision.action) changes++;
    last = s.decision.action;
  }
  return changes;
}

export const conditionOf = (decision: Decision, type: string) =>
  decision.conditions.find((c) => c.type === type);
