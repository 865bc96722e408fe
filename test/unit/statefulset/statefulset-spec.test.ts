import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  desiredReplicas,
  endOrdinal,
  isBeingDeleted,
  isParallel,
  minReadySeconds,
  retentionPolicy,
  revisionHistoryLimit,
  rollingUpdateStrategy,
  startOrdinal,
  updateStrategyType,
} from '../../../operators/statefulset/logic/statefulset-spec.ts';
import { statefulSet } from './fixtures.ts';

describe('spec accessors apply the apps/v1 defaults', () => {
  const bare = statefulSet();
  delete bare.spec.replicas;
  delete bare.spec.updateStrategy;
  it('replicas 1, ordinals from 0, OrderedReady, RollingUpdate, history 10, minReadySeconds 0', () => {
    assert.equal(desiredReplicas(bare), 1);
    assert.equal(startOrdinal(bare), 0);
    assert.equal(endOrdinal(bare), 0);
    assert.equal(isParallel(bare), false);
    assert.equal(updateStrategyType(bare), 'RollingUpdate');
    assert.equal(revisionHistoryLimit(bare), 10);
    assert.equal(minReadySeconds(bare), 0);
    assert.equal(isBeingDeleted(bare), false);
  });
  it('retention Retain/Retain, each field defaulted on its own', () => {
    assert.deepEqual(retentionPolicy(bare), { whenDeleted: 'Retain', whenScaled: 'Retain' });
    assert.deepEqual(retentionPolicy(statefulSet({ whenScaled: 'Delete' })), {
      whenDeleted: 'Retain',
      whenScaled: 'Delete',
    });
  });
  it('ordinals: [start, start + replicas − 1]; replicas 0 leaves an empty range', () => {
    const set = statefulSet({ replicas: 3, start: 2 });
    assert.deepEqual([startOrdinal(set), endOrdinal(set)], [2, 4]);
    const empty = statefulSet({ replicas: 0, start: 2 });
    assert.deepEqual([startOrdinal(empty), endOrdinal(empty)], [2, 1]);
  });
  it('Parallel', () => {
    assert.equal(isParallel(statefulSet({ policy: 'Parallel' })), true);
  });
});

describe('rollingUpdateStrategy (the block as defaulting leaves it)', () => {
  const cases = [
    { name: 'no strategy at all: partition 0', strategy: undefined, want: { partition: 0 } },
    { name: 'empty strategy: partition 0', strategy: {}, want: { partition: 0 } },
    {
      name: 'no type, a block: its partition kept',
      strategy: { rollingUpdate: { partition: 2 } },
      want: { partition: 2 },
    },
    {
      name: 'explicit RollingUpdate without a block: none (defaulting adds it only without a type)',
      strategy: { type: 'RollingUpdate' as const },
      want: undefined,
    },
    {
      name: 'explicit RollingUpdate, block without partition: partition 0, maxUnavailable kept',
      strategy: { type: 'RollingUpdate' as const, rollingUpdate: { maxUnavailable: '50%' } },
      want: { partition: 0, maxUnavailable: '50%' },
    },
    { name: 'OnDelete: none', strategy: { type: 'OnDelete' as const }, want: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const set = statefulSet();
      if (c.strategy === undefined) delete set.spec.updateStrategy;
      else set.spec.updateStrategy = c.strategy;
      assert.deepEqual(rollingUpdateStrategy(set), c.want);
    });
  }
});
