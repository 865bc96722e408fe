import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment } from '../../../operators/deployment/api/types.ts';
import {
  desiredReplicas,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  minReadySeconds,
  progressDeadlineSeconds,
  revisionHistoryLimit,
  rollingUpdateBounds,
  strategyType,
} from '../../../operators/deployment/logic/deployment-spec.ts';
import { formatTime, timeMillis } from '../../../operators/deployment/logic/timestamps.ts';

const bare: Deployment = {
  apiVersion: 'apps.typerator.dev/v1',
  kind: 'Deployment',
  spec: { selector: { matchLabels: { app: 'web' } }, template: {} },
};

describe('Deployment spec accessors', () => {
  it('apply the apps/v1 defaults to a bare spec', () => {
    assert.equal(desiredReplicas(bare), 1);
    assert.equal(strategyType(bare), 'RollingUpdate');
    assert.deepEqual(rollingUpdateBounds(bare), { maxSurge: '25%', maxUnavailable: '25%' });
    assert.equal(minReadySeconds(bare), 0);
    assert.equal(progressDeadlineSeconds(bare), 600);
    assert.equal(revisionHistoryLimit(bare), 10);
    assert.equal(hasProgressDeadline(bare), true);
    assert.equal(hasRevisionHistoryLimit(bare), true);
  });
  it('read explicit values, including 0 and MaxInt32 meaning "none"', () => {
    const d: Deployment = {
      ...bare,
      spec: {
        ...bare.spec,
        replicas: 0,
        minReadySeconds: 5,
        progressDeadlineSeconds: 2147483647,
        revisionHistoryLimit: 2147483647,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0 } },
      },
    };
    assert.equal(desiredReplicas(d), 0);
    assert.equal(minReadySeconds(d), 5);
    assert.equal(hasProgressDeadline(d), false);
    assert.equal(hasRevisionHistoryLimit(d), false);
    assert.deepEqual(rollingUpdateBounds(d), { maxSurge: 0, maxUnavailable: '25%' });
  });
});

describe('timestamps', () => {
  const cases = [
    { name: 'RFC 3339 string', value: '2026-01-01T12:00:00Z', want: Date.UTC(2026, 0, 1, 12) },
    { name: 'Date', value: new Date(Date.UTC(2026, 0, 1, 12)), want: Date.UTC(2026, 0, 1, 12) },
    { name: 'empty', value: '', want: undefined },
    { name: 'null', value: null, want: undefined },
    { name: 'garbage', value: 'yesterday', want: undefined },
  ];
  for (const c of cases) {
    it(`timeMillis: ${c.name}`, () => {
      assert.equal(timeMillis(c.value), c.want);
    });
  }
  it('formatTime writes seconds precision, truncating', () => {
    assert.equal(formatTime(Date.UTC(2026, 0, 1, 12, 0, 0, 999)), '2026-01-01T12:00:00Z');
  });
});
