import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isCreated,
  isFailed,
  isPending,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  isTerminating,
  isUnavailable,
} from '../../../operators/statefulset/logic/pod-state.ts';
import { NOW, statefulPod, statefulSet } from './fixtures.ts';

const set = statefulSet();

describe('pod state', () => {
  const cases = [
    {
      name: 'no phase: not created (a pod still to be made)',
      pod: statefulPod(set, 0, { phase: '' }),
      want: { created: false, pending: false, failed: false, succeeded: false, terminating: false },
    },
    {
      name: 'Pending',
      pod: statefulPod(set, 0, { phase: 'Pending' }),
      want: { created: true, pending: true, failed: false, succeeded: false, terminating: false },
    },
    {
      name: 'Failed',
      pod: statefulPod(set, 0, { phase: 'Failed' }),
      want: { created: true, pending: false, failed: true, succeeded: false, terminating: false },
    },
    {
      name: 'Succeeded',
      pod: statefulPod(set, 0, { phase: 'Succeeded' }),
      want: { created: true, pending: false, failed: false, succeeded: true, terminating: false },
    },
    {
      name: 'terminating even in a terminal phase (unlike the shared isPodTerminating)',
      pod: statefulPod(set, 0, { phase: 'Failed', deleting: true }),
      want: { created: true, pending: false, failed: true, succeeded: false, terminating: true },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(
        {
          created: isCreated(c.pod),
          pending: isPending(c.pod),
          failed: isFailed(c.pod),
          succeeded: isSucceeded(c.pod),
          terminating: isTerminating(c.pod),
        },
        c.want,
      );
    });
  }
});

describe('ready, available, unavailable', () => {
  const cases = [
    { name: 'Running and ready for 60 s, min 30', pod: { readyFor: 60 }, min: 30, want: [true, true, false] },
    {
      name: 'ready for 10 s, min 30: not available',
      pod: { readyFor: 10 },
      min: 30,
      want: [true, false, true],
    },
    { name: 'not ready', pod: {}, min: 0, want: [false, false, true] },
    {
      name: 'Ready but Pending: not running-and-ready, though available by the condition alone',
      pod: { phase: 'Pending', readyFor: 60 },
      min: 0,
      want: [false, true, false],
    },
    {
      name: 'terminating but ready: available, yet unavailable for the controller',
      pod: { readyFor: 60, deleting: true },
      min: 0,
      want: [true, true, true],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pod = statefulPod(set, 0, c.pod);
      assert.deepEqual(
        [isRunningAndReady(pod), isRunningAndAvailable(pod, c.min, NOW), isUnavailable(pod, c.min, NOW)],
        c.want,
      );
    });
  }
});
