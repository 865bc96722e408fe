import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide } from '../../../operators/sla/logic/decide.ts';
import { buildStatus, mergeConditions } from '../../../operators/sla/logic/status.ts';
import { costing, observation, reading, T0, testSettings } from './sla-fixtures.ts';

describe('buildStatus', () => {
  it('tells what is happening: objective, indicator, budget, cost, replicas, decision, columns', () => {
    const settings = { ...testSettings({ cost: '3$/h' }), generation: 2 };
    const obs = observation(reading(0.95, 60, T0, 0.97), 3, 3, { cost: costing(0.5) });
    const decision = decide({ settings, observation: obs, history: undefined, now: T0 });
    const { status, flipped } = buildStatus({
      settings,
      observation: obs,
      decision,
      previous: undefined,
      now: T0,
    });
    assert.equal(status.observedGeneration, 2);
    assert.deepEqual(status.objective, {
      ratio: 0.99,
      latencySeconds: 0.2,
      costPerHour: 3,
      text: '99% ≤ 200ms',
    });
    assert.deepEqual(status.indicator, { le: '0.2', exact: true });
    assert.equal(status.goodRatio, 0.97);
    assert.deepEqual(status.replicas, { current: 3, ready: 3, desired: 6, ceiling: 6 });
    assert.deepEqual(status.lastDecision, {
      time: '2026-01-01T00:00:00.000Z',
      action: 'ScaleUp',
      from: 3,
      to: 6,
      reason: 'BudgetBurning',
    });
    assert.deepEqual(status.summary, {
      objective: '99% ≤ 200ms',
      good: '97%',
      budgetLeft: '-200%',
      replicas: '3/6',
      costPerHour: '1.5/3',
    });
    assert.equal(status.currentCost, 1.5);
    assert.equal(status.message, decision.message);
    assert.deepEqual(
      status.conditions?.map((c) => `${c.type}=${c.status} ${c.reason ?? ''}`),
      [
        'Ready=False ObjectiveMissed',
        'MetricsAvailable=True MetricsRead',
        'IndicatorExact=True BoundaryMatchesTarget',
        'ObjectiveMet=False ObjectiveMissed',
        'CostWithinLimit=True WithinCeiling',
        'Achievable=True WithinBounds',
      ],
    );
    assert.equal(flipped.length, 6, 'every condition is new');
    assert.ok(status.history?.lastScaleUp);
  });

  it('reports a target that is not a bucket boundary', () => {
    const settings = testSettings();
    const obs = observation(reading(0.999, 60, T0), 3, 3, {
      boundary: { kind: 'lower', les: ['0.1'], seconds: 0.1 },
    });
    const decision = decide({ settings, observation: obs, history: undefined, now: T0 });
    const { status } = buildStatus({ settings, observation: obs, decision, previous: undefined, now: T0 });
    const exact = status.conditions?.find((c) => c.type === 'IndicatorExact');
    assert.equal(exact?.status, 'False');
    assert.equal(exact?.reason, 'NearestLowerBoundary');
    assert.match(
      exact?.message ?? '',
      /200ms is not a bucket boundary of http_request_duration_seconds; measuring requests ≤ 100ms \(le="0\.1"\)/,
    );
    assert.deepEqual(status.indicator, { le: '0.1', exact: false });
  });
});

describe('mergeConditions', () => {
  it('keeps lastTransitionTime unless the status flips, and lists the flips', () => {
    const previous = [
      {
        type: 'Ready',
        status: 'True' as const,
        lastTransitionTime: 'then',
        reason: 'ObjectiveMet',
        message: '',
      },
      {
        type: 'MetricsAvailable',
        status: 'True' as const,
        lastTransitionTime: 'then',
        reason: 'MetricsRead',
        message: '',
      },
    ];
    const merged = mergeConditions(
      previous,
      [
        { type: 'Ready', status: 'True', reason: 'ObjectiveMet', message: 'still' },
        { type: 'MetricsAvailable', status: 'False', reason: 'QueryFailed', message: 'down' },
      ],
      'now',
      3,
    );
    assert.deepEqual(
      merged.conditions.map((c) => [c.type, c.lastTransitionTime, c.observedGeneration]),
      [
        ['Ready', 'then', 3],
        ['MetricsAvailable', 'now', 3],
      ],
    );
    assert.deepEqual(
      merged.flipped.map((c) => c.type),
      ['MetricsAvailable'],
    );
  });
});
