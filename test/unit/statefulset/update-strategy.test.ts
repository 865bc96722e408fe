import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IntOrString, V1Pod } from '@kubernetes/client-node';
import { InvalidIntOrPercentError } from '../../../operators/deployment/logic/fenceposts.ts';
import type { StatefulSet } from '../../../operators/statefulset/api/types.ts';
import { newStatefulSetPod } from '../../../operators/statefulset/logic/identity.ts';
import {
  planUpdate,
  resolveMaxUnavailable,
  revisionForNewPod,
} from '../../../operators/statefulset/logic/update-strategy.ts';
import { healthy, names, NOW, statefulPod, statefulSet, type SetOptions } from './fixtures.ts';

describe('revisionForNewPod', () => {
  const cases: { name: string; set: StatefulSet; want: string }[] = [
    { name: 'default strategy: everything at update', set: statefulSet({ replicas: 4 }), want: 'uuuu' },
    {
      name: 'partition 2: ordinals 0, 1 at current',
      set: statefulSet({ replicas: 4, partition: 2 }),
      want: 'ccuu',
    },
    {
      name: 'partition counts from ordinals.start',
      set: statefulSet({ replicas: 4, start: 3, partition: 2 }),
      want: 'ccuu',
    },
    {
      name: 'partition ≥ replicas: all at current',
      set: statefulSet({ replicas: 4, partition: 9 }),
      want: 'cccc',
    },
    {
      name: 'OnDelete: always update',
      set: statefulSet({ replicas: 4, updateStrategy: { type: 'OnDelete' } }),
      want: 'uuuu',
    },
    {
      name: 'explicit RollingUpdate without a block: below status.currentReplicas at current',
      set: statefulSet({
        replicas: 4,
        updateStrategy: { type: 'RollingUpdate' },
        status: { replicas: 4, currentReplicas: 3 },
      }),
      want: 'cccu',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const start = c.set.spec.ordinals?.start ?? 0;
      const got = [0, 1, 2, 3]
        .map((i) => (revisionForNewPod(c.set, start + i) === 'current' ? 'c' : 'u'))
        .join('');
      assert.equal(got, c.want);
    });
  }
});

describe('resolveMaxUnavailable (upstream TestGetStatefulSetMaxUnavailable)', () => {
  const cases: { value?: IntOrString; replicas: number; want: number }[] = [
    { replicas: 10, want: 1 },
    { value: 3, replicas: 10, want: 3 },
    { value: 3, replicas: 0, want: 3 },
    { value: 0, replicas: 0, want: 1 },
    { value: '10%', replicas: 25, want: 2 },
    { value: '100%', replicas: 5, want: 5 },
    { value: '50%', replicas: 5, want: 2 },
    { value: '10%', replicas: 5, want: 1 },
    { value: '1%', replicas: 0, want: 1 },
    { value: '0%', replicas: 0, want: 1 },
  ];
  for (const c of cases) {
    it(`${String(c.value ?? 'unset')} of ${c.replicas} → ${c.want}`, () => {
      const options: SetOptions = { replicas: c.replicas, partition: 0 };
      if (c.value !== undefined) options.maxUnavailable = c.value;
      assert.equal(resolveMaxUnavailable(statefulSet(options)), c.want);
    });
  }
  it('a malformed value throws InvalidIntOrPercentError', () => {
    assert.throws(
      () => resolveMaxUnavailable(statefulSet({ maxUnavailable: 'half' })),
      InvalidIntOrPercentError,
    );
  });
});

/** Replicas of `set`: ordinal i at the revision in `revisions[i]` ('u' = rev-2, 'c' = rev-1), healthy unless listed. */
function replicas(
  set: StatefulSet,
  revisions: string,
  states: Record<number, 'unready' | 'terminating' | 'missing' | 'young'> = {},
): V1Pod[] {
  const start = set.spec.ordinals?.start ?? 0;
  return [...revisions].map((r, i) => {
    const ordinal = start + i;
    const revision = r === 'u' ? 'rev-2' : 'rev-1';
    switch (states[ordinal]) {
      case 'missing':
        return newStatefulSetPod(set, set.spec.template, ordinal, revision);
      case 'unready':
        return statefulPod(set, ordinal, { revision });
      case 'terminating':
        return healthy(set, ordinal, { revision, deleting: true });
      case 'young':
        return statefulPod(set, ordinal, { revision, readyFor: 5 });
      default:
        return healthy(set, ordinal, { revision });
    }
  });
}

describe('planUpdate: RollingUpdate without the MaxUnavailableStatefulSet gate (1.34 default)', () => {
  const cases = [
    { name: 'starts at the highest ordinal', set: {}, pods: 'ccccc', want: ['web-4'] },
    { name: 'then the next one down', set: {}, pods: 'ccccu', want: ['web-3'] },
    {
      name: 'waits for the replacement to be Ready',
      set: {},
      pods: 'ccccu',
      states: { 4: 'unready' as const },
      want: [],
      waiting: 'web-4',
    },
    {
      name: 'waits for a replacement still to be created',
      set: {},
      pods: 'ccccu',
      states: { 4: 'missing' as const },
      want: [],
      waiting: 'web-4',
    },
    {
      name: 'waits for minReadySeconds',
      set: { minReadySeconds: 30 },
      pods: 'ccccu',
      states: { 4: 'young' as const },
      want: [],
      waiting: 'web-4',
    },
    {
      name: 'an outdated pod being deleted is not deleted again, and is waited for',
      set: {},
      pods: 'ccccc',
      states: { 4: 'terminating' as const },
      want: [],
      waiting: 'web-4',
    },
    {
      name: 'an unhealthy pod below the partition does not block',
      set: { partition: 3 },
      pods: 'ccuuu',
      states: { 0: 'unready' as const },
      want: [],
    },
    { name: 'partition 3: done once 4 and 3 are updated', set: { partition: 3 }, pods: 'cccuu', want: [] },
    { name: 'partition 3: updates 3', set: { partition: 3 }, pods: 'ccccu', want: ['web-3'] },
    { name: 'partition ≥ replicas: nothing', set: { partition: 5 }, pods: 'ccccc', want: [] },
    { name: 'all updated: nothing', set: {}, pods: 'uuuuu', want: [] },
    {
      name: 'maxUnavailable is ignored without the gate',
      set: { maxUnavailable: 3 },
      pods: 'ccccc',
      want: ['web-4'],
    },
    {
      name: 'OnDelete: never',
      set: { updateStrategy: { type: 'OnDelete' as const } },
      pods: 'ccccc',
      want: [],
    },
    {
      name: 'ordinals.start: the partition counts from start',
      set: { start: 10, partition: 4 },
      pods: 'ccccc',
      want: ['web-14'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const set = statefulSet({ replicas: 5, ...c.set });
      const plan = planUpdate(set, replicas(set, c.pods, c.states), 'rev-2', NOW);
      assert.deepEqual(names(plan.deletions), c.want);
      assert.equal(plan.waitingFor?.metadata?.name, c.waiting);
    });
  }
});

describe('planUpdate with MaxUnavailableStatefulSet', () => {
  const gate = { maxUnavailableStatefulSet: true };
  const cases = [
    {
      name: 'maxUnavailable 2 of 6, partition 3: deletes 5 and 4 at once',
      set: {},
      pods: 'cccccc',
      want: ['web-5', 'web-4'],
    },
    { name: 'everything at or above the partition updated: nothing', set: {}, pods: 'cccuuu', want: [] },
    {
      name: 'one replacement unavailable: one more deletion',
      set: {},
      pods: 'ccccuu',
      states: { 5: 'unready' as const },
      want: ['web-3'],
    },
    {
      name: 'two unavailable: nothing',
      set: {},
      pods: 'ccccuu',
      states: { 5: 'missing' as const, 4: 'unready' as const },
      want: [],
    },
    {
      name: 'unavailable pods below the partition count too',
      set: {},
      pods: 'cccccc',
      states: { 1: 'unready' as const },
      want: ['web-5'],
    },
    {
      name: 'an outdated unavailable pod is deleted too (it counts, and is not skipped)',
      set: {},
      pods: 'cccccc',
      states: { 5: 'unready' as const },
      want: ['web-5'],
    },
    {
      name: 'terminating pods are skipped and count as unavailable',
      set: {},
      pods: 'cccccc',
      states: { 5: 'terminating' as const },
      want: ['web-4'],
    },
    {
      name: '50%: 3 at once',
      set: { maxUnavailable: '50%', partition: 0 },
      pods: 'cccccc',
      want: ['web-5', 'web-4', 'web-3'],
    },
    {
      name: 'explicit RollingUpdate without a block: 1, from the top',
      set: { updateStrategy: { type: 'RollingUpdate' as const } },
      pods: 'cccccc',
      want: ['web-5'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const set = statefulSet({ replicas: 6, partition: 3, maxUnavailable: 2, ...c.set });
      const plan = planUpdate(set, replicas(set, c.pods, c.states), 'rev-2', NOW, gate);
      assert.deepEqual(names(plan.deletions), c.want);
      assert.equal(plan.waitingFor, undefined);
    });
  }
  it('upstream invariant: deletions = maxUnavailable − terminating pods, never negative', () => {
    for (const terminating of [[], [5], [3], [4], [5, 4], [5, 3], [4, 3], [5, 4, 3], [2], [1]]) {
      const set = statefulSet({ replicas: 6, partition: 3, maxUnavailable: 2 });
      const states = Object.fromEntries(terminating.map((o) => [o, 'terminating' as const]));
      const plan = planUpdate(set, replicas(set, 'cccccc', states), 'rev-2', NOW, gate);
      assert.equal(
        plan.deletions.length,
        Math.max(2 - terminating.length, 0),
        `terminating ${terminating.join(',')}`,
      );
    }
  });
});
