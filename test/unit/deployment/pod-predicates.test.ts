import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import {
  isPodActive,
  isPodAvailable,
  isPodReady,
  isPodTerminating,
  nextAvailabilityIn,
} from '../../../operators/deployment/logic/pod-predicates.ts';
import { NOW, at, pod } from './fixtures.ts';

const withPhase = (phase: string, deleting = false): V1Pod =>
  pod({ name: 'p', phase, deleting, readyFor: 10 });

describe('isPodActive / isPodTerminating', () => {
  const cases = [
    { phase: 'Pending', deleting: false, active: true, terminating: false },
    { phase: 'Running', deleting: false, active: true, terminating: false },
    { phase: 'Unknown', deleting: false, active: true, terminating: false },
    { phase: 'Succeeded', deleting: false, active: false, terminating: false },
    { phase: 'Failed', deleting: false, active: false, terminating: false },
    { phase: 'Running', deleting: true, active: false, terminating: true },
    { phase: 'Pending', deleting: true, active: false, terminating: true },
    { phase: 'Failed', deleting: true, active: false, terminating: false },
  ];
  for (const c of cases) {
    it(`${c.phase}${c.deleting ? ' being deleted' : ''}: active ${c.active}, terminating ${c.terminating}`, () => {
      assert.equal(isPodActive(withPhase(c.phase, c.deleting)), c.active);
      assert.equal(isPodTerminating(withPhase(c.phase, c.deleting)), c.terminating);
    });
  }
});

describe('isPodReady / isPodAvailable', () => {
  const cases = [
    { name: 'not ready', p: pod({ name: 'p' }), min: 0, ready: false, available: false },
    {
      name: 'ready, minReadySeconds 0',
      p: pod({ name: 'p', readyFor: 0 }),
      min: 0,
      ready: true,
      available: true,
    },
    { name: 'ready 10s, min 5', p: pod({ name: 'p', readyFor: 10 }), min: 5, ready: true, available: true },
    {
      name: 'ready exactly min: not yet (strictly before)',
      p: pod({ name: 'p', readyFor: 5 }),
      min: 5,
      ready: true,
      available: false,
    },
    { name: 'ready 3s, min 5', p: pod({ name: 'p', readyFor: 3 }), min: 5, ready: true, available: false },
    {
      name: 'ready without lastTransitionTime never available with min > 0',
      p: { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      min: 1,
      ready: true,
      available: false,
    },
    {
      name: 'string timestamps from raw JSON work too',
      p: {
        status: {
          conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: at(-60) as unknown as Date }],
        },
      },
      min: 30,
      ready: true,
      available: true,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(isPodReady(c.p), c.ready);
      assert.equal(isPodAvailable(c.p, c.min, NOW), c.available);
    });
  }
});

describe('nextAvailabilityIn', () => {
  it('is the soonest ready-but-unavailable pod reaching minReadySeconds, plus 1 ms', () => {
    const pods = [
      pod({ name: 'a', readyFor: 2 }),
      pod({ name: 'b', readyFor: 7 }),
      pod({ name: 'c', readyFor: 60 }),
      pod({ name: 'd' }),
    ];
    assert.equal(nextAvailabilityIn(pods, 10, NOW), 3001);
  });
  it('is undefined when nothing will become available by waiting', () => {
    assert.equal(nextAvailabilityIn([pod({ name: 'a', readyFor: 2 })], 0, NOW), undefined);
    assert.equal(
      nextAvailabilityIn([pod({ name: 'a' }), pod({ name: 'b', readyFor: 60 })], 10, NOW),
      undefined,
    );
    assert.equal(nextAvailabilityIn([pod({ name: 'a', readyFor: 2, deleting: true })], 10, NOW), undefined);
  });
  it('a pod exactly at the boundary becomes available 1 ms later', () => {
    assert.equal(nextAvailabilityIn([pod({ name: 'a', readyFor: 10 })], 10, NOW), 1);
  });
});
