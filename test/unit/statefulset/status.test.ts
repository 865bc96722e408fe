import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import type { StatefulSet, StatefulSetStatus } from '../../../operators/statefulset/api/types.ts';
import { newStatefulSetPod } from '../../../operators/statefulset/logic/identity.ts';
import {
  availabilityRequeueAfter,
  calculateStatus,
  completeRollingUpdate,
  statusNeedsWrite,
} from '../../../operators/statefulset/logic/status.ts';
import { healthy, NOW, statefulPod, statefulSet, type SetOptions } from './fixtures.ts';

const counts = (s: StatefulSetStatus) => ({
  replicas: s.replicas,
  ready: s.readyReplicas,
  available: s.availableReplicas,
  current: s.currentReplicas,
  updated: s.updatedReplicas,
});
const status = (set: StatefulSet, pods: V1Pod[], updateDeletions = 0, update = 'rev-2') =>
  calculateStatus({
    set,
    pods,
    currentRevision: 'rev-1',
    updateRevision: update,
    collisionCount: 0,
    updateDeletions,
    now: NOW,
  });

describe('calculateStatus counts', () => {
  const set = statefulSet({ replicas: 5, minReadySeconds: 30 });
  const pods = [
    healthy(set, 0, { revision: 'rev-1' }),
    statefulPod(set, 1, { revision: 'rev-1', readyFor: 10 }), // ready, not available yet
    statefulPod(set, 2, { revision: 'rev-2', phase: 'Pending' }),
    healthy(set, 3, { revision: 'rev-2', deleting: true }), // terminating: counted, not current/updated
    newStatefulSetPod(set, set.spec.template, 4, 'rev-2'), // still to be created: not counted
  ];
  it('replicas created (terminating too); ready Running+Ready; available after minReadySeconds; revisions of live pods', () => {
    assert.deepEqual(counts(status(set, pods)), {
      replicas: 4,
      ready: 3,
      available: 2,
      current: 2,
      updated: 1,
    });
  });
  it('each update deletion lowers currentReplicas', () => {
    assert.equal(status(set, pods, 1).currentReplicas, 1);
  });
  it('revisions, observedGeneration, collisionCount (always) and the scale selector', () => {
    const s = calculateStatus({
      set: statefulSet({ generation: 7 }),
      pods: [],
      currentRevision: 'a',
      updateRevision: 'b',
      collisionCount: 0,
      now: NOW,
    });
    assert.deepEqual(
      [s.observedGeneration, s.currentRevision, s.updateRevision, s.collisionCount, s.selector, s.conditions],
      [7, 'a', 'b', 0, 'app=web', undefined],
    );
  });
  it('current == update: a pod counts in both', () => {
    const same = status(set, [healthy(set, 0, { revision: 'rev-1' })], 0, 'rev-1');
    assert.deepEqual([same.currentReplicas, same.updatedReplicas], [1, 1]);
  });
});

describe('completeRollingUpdate', () => {
  const all = (set: StatefulSet, revision: string, ready = true) =>
    [0, 1, 2].map((o) => (ready ? healthy(set, o, { revision }) : statefulPod(set, o, { revision })));
  const cases: { name: string; options: SetOptions; pods: (s: StatefulSet) => V1Pod[]; complete: boolean }[] =
    [
      {
        name: 'every pod updated and ready: complete',
        options: {},
        pods: (s) => all(s, 'rev-2'),
        complete: true,
      },
      {
        name: 'a pod still at current: not',
        options: {},
        pods: (s) => [...all(s, 'rev-2').slice(0, 2), healthy(s, 2, { revision: 'rev-1' })],
        complete: false,
      },
      { name: 'not all ready: not', options: {}, pods: (s) => all(s, 'rev-2', false), complete: false },
      {
        name: 'an extra (condemned) pod: not',
        options: {},
        pods: (s) => [...all(s, 'rev-2'), healthy(s, 3, { revision: 'rev-2' })],
        complete: false,
      },
      {
        name: 'OnDelete never completes',
        options: { updateStrategy: { type: 'OnDelete' } },
        pods: (s) => all(s, 'rev-2'),
        complete: false,
      },
    ];
  for (const c of cases) {
    it(c.name, () => {
      const set = statefulSet({ replicas: 3, ...c.options });
      const s = status(set, c.pods(set));
      assert.equal(s.currentRevision, c.complete ? 'rev-2' : 'rev-1');
      if (c.complete) assert.equal(s.currentReplicas, 3);
    });
  }
  it('is idempotent', () => {
    const set = statefulSet({ replicas: 1 });
    const done: StatefulSetStatus = {
      replicas: 1,
      readyReplicas: 1,
      updatedReplicas: 1,
      currentRevision: 'a',
      updateRevision: 'b',
    };
    assert.deepEqual(completeRollingUpdate(set, completeRollingUpdate(set, done)), {
      ...done,
      currentRevision: 'b',
      currentReplicas: 1,
    });
  });
});

describe('statusNeedsWrite', () => {
  const base: StatefulSetStatus = {
    observedGeneration: 2,
    replicas: 3,
    readyReplicas: 3,
    currentReplicas: 3,
    updatedReplicas: 3,
    availableReplicas: 3,
    currentRevision: 'a',
    updateRevision: 'a',
    collisionCount: 0,
    selector: 'app=web',
  };
  const set = statefulSet({ status: base });
  const cases: { name: string; change: Partial<StatefulSetStatus>; want: boolean }[] = [
    { name: 'same', change: {}, want: false },
    { name: 'newer generation', change: { observedGeneration: 3 }, want: true },
    { name: 'older generation alone: no', change: { observedGeneration: 1 }, want: false },
    { name: 'a count', change: { availableReplicas: 2 }, want: true },
    { name: 'a revision', change: { updateRevision: 'b' }, want: true },
    { name: 'the selector', change: { selector: 'app=db' }, want: true },
    { name: 'collisionCount alone: no (as upstream)', change: { collisionCount: 1 }, want: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(statusNeedsWrite(set, { ...base, ...c.change }), c.want);
    });
  }
  it('a set without status: yes', () => {
    assert.equal(statusNeedsWrite(statefulSet(), base), true);
  });
  it('zero counts equal absent ones', () => {
    const empty = statefulSet({ status: { replicas: 0 } });
    assert.equal(statusNeedsWrite(empty, { replicas: 0, readyReplicas: 0, currentReplicas: 0 }), false);
  });
});

describe('availabilityRequeueAfter', () => {
  const set = statefulSet({ replicas: 2, minReadySeconds: 30 });
  const requeue = (s: StatefulSet, pods: V1Pod[]) => availabilityRequeueAfter(s, status(s, pods), pods, NOW);
  it('the soonest a ready pod becomes available (plus 1 ms), at most minReadySeconds', () => {
    assert.equal(requeue(set, [healthy(set, 0), statefulPod(set, 1, { readyFor: 10 })]), 20_001);
  });
  it('minReadySeconds when no ready pod is waiting (upstream)', () => {
    assert.equal(requeue(set, [healthy(set, 0), statefulPod(set, 1)]), 30_000);
  });
  it('none when all are available or minReadySeconds is 0', () => {
    assert.equal(requeue(set, [healthy(set, 0), healthy(set, 1)]), undefined);
    const zero = statefulSet({ replicas: 2 });
    assert.equal(requeue(zero, [statefulPod(zero, 0)]), undefined);
  });
});
