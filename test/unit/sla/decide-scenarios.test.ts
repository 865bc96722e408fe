import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decide,
  MAX_SCALE_UP_FACTOR,
  SCALE_DOWN_BURN_RATE,
  type Decision,
} from '../../../operators/sla/logic/decide.ts';
import type { MetricsReading } from '../../../operators/sla/logic/observation.ts';
import {
  actions,
  closedLoop,
  conditionOf,
  costing,
  observation,
  reading,
  replay,
  T0,
  testSettings,
  type LoopStep,
} from './sla-fixtures.ts';

// The decision function over recorded and simulated metric series on virtual time: each test is
// a sequence of observations at timestamps and the sequence of decisions they produce.

/** The error budget over the whole (virtual) hour is healthy: only the burn rates decide. */
const healthyBudget = (_t: number, normal: MetricsReading): MetricsReading =>
  normal.ok ? { ok: true, metrics: { ...normal.metrics, windowGoodRatio: 0.999 } } : normal;

/** Scale-downs followed (at any later time) by a scale-up: flaps. */
function flaps(run: readonly LoopStep[]): number {
  let downSeen = false;
  let count = 0;
  for (const step of run) {
    if (step.decision.action === 'ScaleDown') downSeen = true;
    if (step.decision.action === 'ScaleUp' && downSeen) {
      count++;
      downSeen = false;
    }
  }
  return count;
}

const reasons = (decisions: readonly Decision[]) => decisions.map((d) => d.reason);

describe('decide: a load step', () => {
  const settings = testSettings();
  // 20 requests/s per pod before latency degrades; 40 → 100 → 40 requests/s.
  const load = (t: number) => (t < 100 ? 40 : t < 800 ? 100 : 40);
  const run = closedLoop(settings, { capacityPerPod: 20 }, load, {
    steps: 200,
    replicas: 3,
    metricsAt: healthyBudget,
  });

  it('scales up when both burn rates exceed 1, in proportion and at most doubling', () => {
    const first = run.find((s) => s.decision.action === 'ScaleUp');
    assert.ok(first);
    assert.equal(first.t, 100, 'the first evaluation after the step');
    assert.equal(first.decision.reason, 'BudgetBurning');
    assert.equal(first.decision.desiredReplicas, 3 * MAX_SCALE_UP_FACTOR);
    assert.ok((first.decision.indicators?.shortBurnRate ?? 0) > 1);
    assert.ok((first.decision.indicators?.longBurnRate ?? 0) > 1);
    assert.match(first.decision.message, /^Scaling up from 3 to 6 replicas: .* took over 200ms \(burn rate/);
  });

  it('credits starting pods and waits to see the effect before asking again', () => {
    const during = run.filter((s) => s.t > 100 && s.t < 150).map((s) => s.decision.reason);
    assert.ok(during.includes('AwaitingEffect'), during.join());
    assert.ok(!during.includes('BudgetBurning'));
    assert.deepEqual(actions(run).slice(0, 2), ['100:3→6 BudgetBurning', '150:6→8 BudgetBurning']);
  });

  it('recovers the objective and then holds in the dead band without flapping', () => {
    const recovered = run.find((s) => s.t > 100 && (s.decision.indicators?.shortBurnRate ?? 2) < 1);
    assert.ok(recovered && recovered.t <= 200, `recovered at ${recovered?.t}`);
    const highLoad = run.filter((s) => s.t >= 200 && s.t < 800);
    assert.ok(highLoad.every((s) => s.decision.action === 'Hold' && s.current === 8));
  });

  it('scales down one step at a time, each after a full stabilisation window, never into a flap', () => {
    const downs = run.filter((s) => s.decision.action === 'ScaleDown');
    assert.ok(downs.length >= 3, actions(run).join('; '));
    for (const down of downs) assert.equal(down.decision.currentReplicas - down.decision.desiredReplicas, 1);
    for (let i = 1; i < downs.length; i++)
      assert.ok((downs[i]?.t ?? 0) - (downs[i - 1]?.t ?? 0) >= settings.stabilizationWindowMs / 1000);
    assert.equal(flaps(run), 0);
    // It stops above the load that needed a scale-up: 2 pods would get 20 requests/s each.
    const last = run.at(-1);
    assert.equal(last?.current, 3);
    assert.equal(last?.decision.reason, 'ScaleDownUnsafe');
  });
});

describe('decide: the dead band', () => {
  it('holds while burn rates sit between 0.5 and 1, or only one window is above 1', () => {
    const settings = testSettings();
    // 99% objective: good 0.993 → burn 0.7; short alternates 0.4 / 1.2 while long stays 0.7.
    const steps = Array.from({ length: 30 }, (_, i) => ({
      t: i * 10,
      metrics: (at: number) => reading(i % 2 === 0 ? 0.996 : 0.988, 50, at, 0.993),
      current: 4,
    }));
    const decisions = replay(settings, steps);
    assert.ok(decisions.every((d) => d.action === 'Hold'));
    assert.ok(decisions.every((d) => d.reason === 'WithinDeadBand'));
    assert.equal(conditionOf(decisions[0] as Decision, 'ObjectiveMet')?.status, 'True');
  });

  it('needs the burn rates under 0.5 continuously for the stabilisation window', () => {
    const settings = testSettings(); // 1m stabilisation, 10s interval
    const low = (at: number) => reading(0.999, 50, at);
    const mid = (at: number) => reading(0.993, 50, at);
    const series = [low, low, low, low, mid, low, low, low, low, low, low, low];
    const decisions = replay(
      settings,
      series.map((metrics, i) => ({ t: i * 10, metrics, current: 4 })),
    );
    assert.deepEqual(reasons(decisions), [
      'Stabilizing',
      'Stabilizing',
      'Stabilizing',
      'Stabilizing',
      'WithinDeadBand', // the low run is broken: the window restarts
      'Stabilizing',
      'Stabilizing',
      'Stabilizing',
      'Stabilizing',
      'Stabilizing',
      'Stabilizing',
      'LowBurnRate',
    ]);
    assert.equal(decisions.at(-1)?.desiredReplicas, 3);
    assert.ok(SCALE_DOWN_BURN_RATE === 0.5);
  });

  it('does not predict a step down from a window that saw no slow request out of a few hundred', () => {
    // As recorded in the integration test: 95% ≤ 200ms, 20 req/s on 2 pods of 20 req/s, about 1%
    // slow, so a 10 s window now and then holds no slow request at all. 1 pod would be saturated.
    const settings = testSettings({
      percent: '95%',
      interval: '2s',
      shortWindow: '10s',
      longWindow: '30s',
      stabilizationWindow: '15s',
    });
    const none = (at: number) => reading(1, 20, at);
    const decisions = replay(
      settings,
      Array.from({ length: 12 }, (_, i) => ({ t: i * 2, metrics: none, current: 2 })),
    );
    assert.equal(decisions.at(-1)?.reason, 'ScaleDownUnsafe');
    assert.ok(decisions.every((d) => d.action === 'Hold'));
    // With ten times the traffic, none slow out of 6000 is evidence enough.
    const busy = replay(
      settings,
      Array.from({ length: 12 }, (_, i) => ({
        t: i * 2,
        metrics: (at: number) => reading(1, 200, at),
        current: 2,
      })),
    );
    assert.deepEqual(
      busy.filter((d) => d.action === 'ScaleDown').map((d) => d.desiredReplicas),
      [1],
    );
  });

  it('does not scale down while the error budget is nearly spent', () => {
    const settings = testSettings();
    const decisions = replay(
      settings,
      Array.from({ length: 8 }, (_, i) => ({
        t: i * 10,
        // Burn 0.1 now, but the hour's good share 0.9905 leaves 5% of the budget.
        metrics: (at: number) => ({
          ok: true as const,
          metrics: {
            shortGoodRatio: 0.999,
            longGoodRatio: 0.999,
            windowGoodRatio: 0.9905,
            requestRate: 50,
            readAt: at,
          },
        }),
        current: 4,
      })),
    );
    assert.equal(decisions.at(-1)?.reason, 'BudgetLow');
    assert.ok(decisions.every((d) => d.action === 'Hold'));
  });
});

describe('decide: bad data', () => {
  const settings = testSettings();
  const failures: Record<string, MetricsReading | ((at: number) => MetricsReading)> = {
    QueryFailed: {
      ok: false,
      problem: 'QueryFailed',
      message: 'Prometheus at http://p:9090: cannot connect',
    },
    NoSeries: { ok: false, problem: 'NoSeries', message: 'no series match app="web"' },
    NotANumber: (at) => reading(Number.NaN, 50, at),
    Stale: (at) => reading(0.9, 50, at - 60_000),
  };

  for (const [problem, metrics] of Object.entries(failures))
    it(`${problem}: MetricsAvailable=False, holds, never scales down`, () => {
      const low = (at: number) => reading(0.9999, 50, at);
      const series = [low, low, low, low, low, metrics, metrics, metrics, metrics, metrics, metrics, metrics];
      const decisions = replay(
        settings,
        series.map((m, i) => ({ t: i * 10, metrics: m, current: 5 })),
      );
      const bad = decisions.slice(5);
      assert.ok(bad.every((d) => d.action === 'Hold' && d.desiredReplicas === 5));
      for (const d of bad) {
        assert.equal(d.reason, problem);
        assert.equal(conditionOf(d, 'MetricsAvailable')?.status, 'False');
        assert.equal(conditionOf(d, 'MetricsAvailable')?.reason, problem);
        assert.equal(conditionOf(d, 'ObjectiveMet')?.status, 'Unknown');
        assert.equal(conditionOf(d, 'Ready')?.status, 'False');
        assert.equal(d.history.lowBurnSince, undefined, 'bad data breaks the stabilisation window');
      }
      assert.match(bad[0]?.message ?? '', /^Holding 5 replicas: /);
    });

  it('restarts the stabilisation window when good data returns', () => {
    const low = (at: number) => reading(0.9999, 50, at);
    const down: MetricsReading = { ok: false, problem: 'QueryFailed', message: 'down' };
    const series = [low, low, low, low, low, down, low, low, low, low, low, low, low];
    const decisions = replay(
      settings,
      series.map((m, i) => ({ t: i * 10, metrics: m, current: 5 })),
    );
    assert.equal(
      decisions.findIndex((d) => d.action === 'ScaleDown'),
      12,
    );
  });

  it('holds with the indicator Unknown below the minimum request rate', () => {
    const decisions = replay(settings, [{ t: 0, metrics: (at) => reading(Number.NaN, 0.2, at), current: 3 }]);
    const [d] = decisions;
    assert.ok(d);
    assert.equal(d.action, 'Hold');
    assert.equal(d.reason, 'NoTraffic');
    assert.equal(conditionOf(d, 'MetricsAvailable')?.status, 'True');
    assert.equal(conditionOf(d, 'ObjectiveMet')?.status, 'Unknown');
    assert.equal(conditionOf(d, 'ObjectiveMet')?.reason, 'NoTraffic');
    assert.equal(conditionOf(d, 'Achievable')?.status, 'Unknown');
    assert.match(d.message, /0\.2 requests\/s is below spec\.minRequestRate \(1\/s\)/);
  });

  it('reports a histogram with no bucket at or below the target as unusable', () => {
    const d = decide({
      settings,
      observation: observation(reading(0.5, 50, T0), 3, 3, {
        boundary: {
          kind: 'none',
          reason: 'NoBucketBelowTarget',
          message: 'every bucket boundary is above the target',
        },
      }),
      history: undefined,
      now: T0,
    });
    assert.equal(d.action, 'Hold');
    assert.equal(d.reason, 'NoUsableBucket');
    assert.equal(conditionOf(d, 'MetricsAvailable')?.status, 'False');
    assert.equal(conditionOf(d, 'IndicatorExact')?.reason, 'NoBucketBelowTarget');
  });
});

describe('decide: limits', () => {
  const load = (t: number) => (t < 50 ? 40 : 160);

  it('stops at the cost ceiling, which binds before maxReplicas, and says so', () => {
    const settings = testSettings({ cost: '2$/h', maxReplicas: 10 });
    const run = closedLoop(settings, { capacityPerPod: 20 }, load, {
      steps: 60,
      replicas: 3,
      cost: costing(0.5),
      metricsAt: healthyBudget,
    });
    assert.ok(run.every((s) => s.current <= 4));
    const last = run.at(-1)?.decision;
    assert.ok(last);
    assert.equal(last.ceilingReplicas, 4);
    assert.equal(last.reason, 'CostCeilingBinds');
    assert.equal(last.limitedBy, 'CostCeiling');
    assert.equal(conditionOf(last, 'Achievable')?.status, 'False');
    assert.equal(conditionOf(last, 'Achievable')?.reason, 'CostCeilingBinds');
    assert.equal(conditionOf(last, 'CostWithinLimit')?.status, 'True');
    assert.match(last.message, /the \$2\/h ceiling pays for 4 replicas/);
  });

  it('the ceiling wins when it and maxReplicas bind at the same count', () => {
    const settings = testSettings({ cost: '2$/h', maxReplicas: 4 });
    const run = closedLoop(settings, { capacityPerPod: 20 }, load, {
      steps: 60,
      replicas: 3,
      cost: costing(0.5),
      metricsAt: healthyBudget,
    });
    assert.equal(run.at(-1)?.decision.reason, 'CostCeilingBinds');
  });

  it('reports MaxReplicasBinds when maxReplicas is below the ceiling', () => {
    const settings = testSettings({ cost: '20$/h', maxReplicas: 4 });
    const run = closedLoop(settings, { capacityPerPod: 20 }, load, {
      steps: 60,
      replicas: 3,
      cost: costing(0.5),
      metricsAt: healthyBudget,
    });
    const last = run.at(-1)?.decision;
    assert.equal(last?.reason, 'MaxReplicasBinds');
    assert.equal(last && conditionOf(last, 'Achievable')?.reason, 'MaxReplicasBinds');
  });

  it('brings replicas back within min, max and the ceiling even while the metrics are down', () => {
    const down: MetricsReading = { ok: false, problem: 'QueryFailed', message: 'down' };
    const settings = testSettings({ cost: '2$/h', minReplicas: 2, maxReplicas: 6 });
    const at = (current: number, perReplica = 0.5) =>
      decide({
        settings,
        observation: observation(down, current, current, { cost: costing(perReplica) }),
        history: undefined,
        now: T0,
      });
    assert.deepEqual([at(1).reason, at(1).desiredReplicas], ['BelowMinReplicas', 2]);
    assert.deepEqual([at(5).reason, at(5).desiredReplicas], ['AboveCostCeiling', 4]);
    assert.deepEqual([at(9, 0.1).reason, at(9, 0.1).desiredReplicas], ['AboveMaxReplicas', 6]);
    assert.equal(at(4).action, 'Hold');
  });
});

describe('decide: scaling that does not help', () => {
  it('stops adding replicas and reports ScalingIneffective', () => {
    const settings = testSettings();
    // 5% of requests are slow whatever the load per pod (a slow database, say).
    const run = closedLoop(settings, { capacityPerPod: 20, slowShare: () => 0.05 }, () => 40, {
      steps: 40,
      replicas: 3,
      metricsAt: healthyBudget,
    });
    assert.deepEqual(actions(run), ['0:3→6 BudgetBurning']);
    const last = run.at(-1)?.decision;
    assert.ok(last);
    assert.equal(last.reason, 'ScalingIneffective');
    assert.equal(conditionOf(last, 'Achievable')?.status, 'False');
    assert.equal(conditionOf(last, 'Achievable')?.reason, 'ScalingIneffective');
    assert.match(last.message, /each ready pod got 50% fewer requests; the bottleneck is elsewhere/);
    assert.ok(last.history.ineffective);
  });

  it('forgets the verdict when the spec changes', () => {
    const settings = { ...testSettings(), generation: 2 };
    const history = {
      generation: 1,
      ineffective: { since: '2026-01-01T00:00:00.000Z', replicas: 6, detail: 'did not help' },
    };
    const [d] = replay(settings, [{ t: 0, metrics: (at) => reading(0.95, 40, at), current: 6 }], history);
    assert.equal(d?.history.ineffective, undefined);
    assert.equal(d?.action, 'ScaleUp');
  });
});

describe('decide: Advise mode and conflicts', () => {
  it('Advise computes the same decisions but never applies them', () => {
    const advise = testSettings({ mode: 'Advise' });
    const run = closedLoop(advise, { capacityPerPod: 20 }, (t) => (t < 100 ? 40 : 100), {
      steps: 40,
      replicas: 3,
      metricsAt: healthyBudget,
    });
    assert.ok(run.every((s) => s.current === 3));
    const advice = run.filter((s) => s.decision.action === 'ScaleUp');
    assert.ok(advice.length > 0);
    for (const s of run) assert.equal(s.decision.advisory, true);
    assert.match(
      advice[0]?.decision.message ?? '',
      /^Advice, not applied \(mode Advise\): scaling up from 3 to 6/,
    );
  });

  it('refuses to act when an HPA already scales the target', () => {
    const settings = testSettings();
    const run = closedLoop(settings, { capacityPerPod: 20 }, () => 100, {
      steps: 5,
      replicas: 3,
      conflict: { kind: 'HorizontalPodAutoscaler', name: 'web' },
    });
    assert.ok(run.every((s) => s.decision.action === 'Hold' && s.decision.reason === 'TargetConflict'));
    const d = run[0]?.decision;
    assert.ok(d);
    assert.equal(conditionOf(d, 'Achievable')?.reason, 'TargetConflict');
    assert.equal(conditionOf(d, 'Ready')?.status, 'False');
    assert.match(d.message, /HorizontalPodAutoscaler web already scales the same workload/);
  });
});
