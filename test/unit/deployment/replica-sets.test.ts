import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  findActiveOrLatest,
  isSaturated,
  isScalingEvent,
  splitReplicaSets,
} from '../../../operators/deployment/logic/replica-sets.ts';
import { deployment, replicaSet } from './fixtures.ts';

const names = (list: readonly { metadata?: { name?: string } }[]) => list.map((rs) => rs.metadata?.name);

describe('splitReplicaSets', () => {
  it('picks the oldest ReplicaSet with an equal template; the others are old, oldest first', () => {
    const d = deployment({ image: 'nginx:2' });
    const owned = [
      replicaSet('dup-late', { replicas: 1, image: 'nginx:2', created: 30 }),
      replicaSet('v1', { replicas: 3, image: 'nginx:1', created: 0 }),
      replicaSet('dup-early', { replicas: 1, image: 'nginx:2', created: 10 }),
    ];
    const { newRS, oldRSs } = splitReplicaSets(d, owned);
    assert.equal(newRS?.metadata?.name, 'dup-early');
    assert.deepEqual(names(oldRSs), ['v1', 'dup-late']);
  });
  it('breaks equal creation times by name', () => {
    const d = deployment({ image: 'nginx:2' });
    const owned = [
      replicaSet('b', { replicas: 1, image: 'nginx:2' }),
      replicaSet('a', { replicas: 1, image: 'nginx:2' }),
    ];
    assert.equal(splitReplicaSets(d, owned).newRS?.metadata?.name, 'a');
  });
  it('has no new ReplicaSet when no template matches', () => {
    const { newRS, oldRSs } = splitReplicaSets(deployment({ image: 'nginx:3' }), [
      replicaSet('v1', { replicas: 1, image: 'nginx:1' }),
    ]);
    assert.equal(newRS, undefined);
    assert.deepEqual(names(oldRSs), ['v1']);
  });
});

describe('isScalingEvent', () => {
  const desired = (n: string) => ({ 'deployment.kubernetes.io/desired-replicas': n });
  const cases = [
    {
      name: 'an active RS sized for another replicas',
      rss: [replicaSet('a', { replicas: 3, annotations: desired('5') })],
      want: true,
    },
    {
      name: 'all RS sized for the current replicas',
      rss: [replicaSet('a', { replicas: 3, annotations: desired('10') })],
      want: false,
    },
    {
      name: 'an inactive RS does not count',
      rss: [replicaSet('a', { replicas: 0, annotations: desired('5') })],
      want: false,
    },
    { name: 'missing annotation does not count', rss: [replicaSet('a', { replicas: 3 })], want: false },
    {
      name: 'malformed annotation does not count',
      rss: [replicaSet('a', { replicas: 3, annotations: desired('x') })],
      want: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(isScalingEvent(deployment({ replicas: 10 }), undefined, c.rss), c.want);
    });
  }
});

describe('findActiveOrLatest', () => {
  const oldA = replicaSet('old-a', { replicas: 0, created: 0 });
  const oldB = replicaSet('old-b', { replicas: 0, created: 10 });
  const cases = [
    {
      name: 'the only active one, even if old',
      newRS: replicaSet('new', { replicas: 0 }),
      old: [oldA, replicaSet('old-c', { replicas: 2 })],
      want: 'old-c',
    },
    {
      name: 'none active: the new one',
      newRS: replicaSet('new', { replicas: 0 }),
      old: [oldA, oldB],
      want: 'new',
    },
    { name: 'none active, no new: the newest old one', newRS: undefined, old: [oldB, oldA], want: 'old-b' },
    {
      name: 'several active: none',
      newRS: replicaSet('new', { replicas: 1 }),
      old: [replicaSet('old-c', { replicas: 2 })],
      want: undefined,
    },
    { name: 'nothing at all', newRS: undefined, old: [], want: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(findActiveOrLatest(c.newRS, c.old)?.metadata?.name, c.want);
    });
  }
});

describe('isSaturated', () => {
  const annotated = { 'deployment.kubernetes.io/desired-replicas': '10' };
  const cases = [
    {
      name: 'spec, annotation and available all equal replicas',
      rs: replicaSet('n', { replicas: 10, annotations: annotated }),
      want: true,
    },
    {
      name: 'not all available',
      rs: replicaSet('n', { replicas: 10, available: 9, annotations: annotated }),
      want: false,
    },
    {
      name: 'annotation for another size',
      rs: replicaSet('n', {
        replicas: 10,
        annotations: { 'deployment.kubernetes.io/desired-replicas': '5' },
      }),
      want: false,
    },
    { name: 'no annotation', rs: replicaSet('n', { replicas: 10 }), want: false },
    { name: 'no new RS', rs: undefined, want: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(isSaturated(deployment({ replicas: 10 }), c.rs), c.want);
    });
  }
});
