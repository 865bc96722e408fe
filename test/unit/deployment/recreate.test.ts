import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { oldPodsRunning, planRecreateStep } from '../../../operators/deployment/logic/recreate.ts';
import { deployment, pod, replicaSet } from './fixtures.ts';

const d = deployment({ replicas: 3, strategy: 'Recreate' });
const podsOf = (entries: [string, V1Pod[]][]) => new Map(entries);

describe('oldPodsRunning', () => {
  const newRS = replicaSet('new', { replicas: 0 });
  const cases = [
    {
      name: 'an old RS still reports pods',
      old: [replicaSet('old', { replicas: 0, statusReplicas: 1 })],
      pods: podsOf([]),
      want: true,
    },
    {
      name: 'an old pod is Running',
      old: [replicaSet('old', { replicas: 0 })],
      pods: podsOf([['old-uid', [pod({ name: 'p' })]]]),
      want: true,
    },
    {
      name: 'a terminating old pod still counts',
      old: [replicaSet('old', { replicas: 0 })],
      pods: podsOf([['old-uid', [pod({ name: 'p', deleting: true })]]]),
      want: true,
    },
    {
      name: 'Unknown counts',
      old: [],
      pods: podsOf([['old-uid', [pod({ name: 'p', phase: 'Unknown' })]]]),
      want: true,
    },
    {
      name: 'terminal old pods do not',
      old: [replicaSet('old', { replicas: 0 })],
      pods: podsOf([
        ['old-uid', [pod({ name: 'p', phase: 'Failed' }), pod({ name: 'q', phase: 'Succeeded' })]],
      ]),
      want: false,
    },
    {
      name: 'pods of the new RS do not',
      old: [],
      pods: podsOf([['new-uid', [pod({ name: 'p' })]]]),
      want: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(oldPodsRunning(newRS, c.old, c.pods), c.want);
    });
  }
});

describe('planRecreateStep', () => {
  it('scales every active old RS to 0 first, without creating the new one', () => {
    const step = planRecreateStep(
      d,
      undefined,
      [replicaSet('a', { replicas: 3 }), replicaSet('b', { replicas: 0 }), replicaSet('c', { replicas: 1 })],
      podsOf([]),
    );
    assert.equal(step.kind, 'scale-down-old');
    assert.deepEqual(
      step.kind === 'scale-down-old'
        ? step.actions.map((a) => `${a.replicaSet.metadata?.name}->${a.to}`)
        : [],
      ['a->0', 'c->0'],
    );
  });
  it('waits while old pods run', () => {
    const old = [replicaSet('a', { replicas: 0, statusReplicas: 2 })];
    assert.deepEqual(planRecreateStep(d, undefined, old, podsOf([])), { kind: 'wait-for-old-pods' });
  });
  it('then creates the new RS', () => {
    assert.deepEqual(planRecreateStep(d, undefined, [replicaSet('a', { replicas: 0 })], podsOf([])), {
      kind: 'scale-up-new',
      create: true,
    });
  });
  it('or scales the existing new RS to replicas', () => {
    const step = planRecreateStep(d, replicaSet('new', { replicas: 1 }), [], podsOf([]));
    assert.equal(step.kind === 'scale-up-new' ? step.action?.to : undefined, 3);
    assert.deepEqual(planRecreateStep(d, replicaSet('new', { replicas: 3 }), [], podsOf([])), {
      kind: 'scale-up-new',
      create: false,
    });
  });
});
