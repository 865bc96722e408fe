import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import {
  logarithmicBucket,
  podDeletionCost,
  podRanks,
  podsToDelete,
  rankPodsForDeletion,
} from '../../../operators/deployment/logic/pod-deletion-ranking.ts';
import { NOW, pod } from './fixtures.ts';

const names = (pods: readonly V1Pod[]) => pods.map((p) => p.metadata?.name);

describe('rankPodsForDeletion', () => {
  it('scenario 25: unscheduled, Pending, not ready, recently ready, long ready, then costly', () => {
    const pods = [
      pod({ name: 'ready-1h', node: 'n1', readyFor: 3600 }),
      pod({ name: 'cost-100', node: 'n1', readyFor: 60, cost: '100' }),
      pod({ name: 'restarted', node: 'n1', readyFor: 60, restarts: 5 }),
      pod({ name: 'not-ready', node: 'n1' }),
      pod({ name: 'pending', node: 'n1', phase: 'Pending' }),
      pod({ name: 'unscheduled', phase: 'Pending' }),
    ];
    assert.deepEqual(names(rankPodsForDeletion(pods, pods, NOW)), [
      'unscheduled',
      'pending',
      'not-ready',
      'restarted',
      'ready-1h',
      'cost-100',
    ]);
    assert.deepEqual(names(podsToDelete(pods, pods, 4, NOW)), [
      'unscheduled',
      'pending',
      'not-ready',
      'restarted',
    ]);
  });

  const pairs: { name: string; first: V1Pod; second: V1Pod; related?: V1Pod[] }[] = [
    {
      name: 'unscheduled before scheduled',
      first: pod({ name: 'a', phase: 'Running' }),
      second: pod({ name: 'b', node: 'n', phase: 'Pending' }),
    },
    {
      name: 'Pending before Unknown',
      first: pod({ name: 'a', node: 'n', phase: 'Pending' }),
      second: pod({ name: 'b', node: 'n', phase: 'Unknown' }),
    },
    {
      name: 'Unknown before Running',
      first: pod({ name: 'a', node: 'n', phase: 'Unknown' }),
      second: pod({ name: 'b', node: 'n', phase: 'Running' }),
    },
    {
      name: 'not ready before ready',
      first: pod({ name: 'a', node: 'n' }),
      second: pod({ name: 'b', node: 'n', readyFor: 10 }),
    },
    {
      name: 'lower deletion cost first',
      first: pod({ name: 'a', node: 'n', readyFor: 10, cost: '-5' }),
      second: pod({ name: 'b', node: 'n', readyFor: 5000 }),
    },
    {
      name: 'more related pods on the node first',
      first: pod({ name: 'a', node: 'crowded', readyFor: 5000 }),
      second: pod({ name: 'b', node: 'quiet', readyFor: 10 }),
      related: [
        pod({ name: 'x', node: 'crowded' }),
        pod({ name: 'y', node: 'crowded' }),
        pod({ name: 'z', node: 'quiet', phase: 'Failed' }),
      ],
    },
    {
      name: 'more recently ready first (other log2 bucket)',
      first: pod({ name: 'z', node: 'n', readyFor: 60 }),
      second: pod({ name: 'a', node: 'n', readyFor: 3600 }),
    },
    {
      name: 'same log2 bucket: UID decides, not the exact time',
      first: pod({ name: 'a', node: 'n', readyFor: 100 }),
      second: pod({ name: 'b', node: 'n', readyFor: 110 }),
    },
    {
      name: 'ready without a time counts as most recent',
      first: {
        ...pod({ name: 'z', node: 'n' }),
        status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
      },
      second: pod({ name: 'a', node: 'n', readyFor: 1 }),
    },
    {
      name: 'more restarts first',
      first: pod({ name: 'z', node: 'n', restarts: 3 }),
      second: pod({ name: 'a', node: 'n', restarts: 1 }),
    },
    {
      name: 'newer first',
      first: pod({ name: 'z', node: 'n', createdAgo: 10 }),
      second: pod({ name: 'a', node: 'n', createdAgo: 7200 }),
    },
  ];
  for (const c of pairs) {
    it(c.name, () => {
      const related = [c.first, c.second, ...(c.related ?? [])];
      assert.deepEqual(
        names(rankPodsForDeletion([c.second, c.first], related, NOW)),
        names([c.first, c.second]),
      );
      assert.deepEqual(
        names(rankPodsForDeletion([c.first, c.second], related, NOW)),
        names([c.first, c.second]),
      );
    });
  }

  it('restarts of sidecar init containers break ties after regular containers', () => {
    const withSidecar = (name: string, restarts: number): V1Pod => {
      const base = pod({ name, node: 'n' });
      return {
        ...base,
        spec: {
          containers: [{ name: 'c' }],
          initContainers: [{ name: 's', restartPolicy: 'Always' }],
          nodeName: 'n',
        },
        status: {
          ...base.status,
          initContainerStatuses: [
            { name: 's', image: 'i', imageID: '', ready: true, restartCount: restarts },
          ],
        },
      };
    };
    assert.deepEqual(
      names(rankPodsForDeletion([withSidecar('calm', 0), withSidecar('flappy', 4)], [], NOW)),
      ['flappy', 'calm'],
    );
  });
});

describe('podsToDelete', () => {
  it('returns all pods unranked when all go, none for diff 0', () => {
    const pods = [pod({ name: 'b', node: 'n', readyFor: 10 }), pod({ name: 'a' })];
    assert.deepEqual(names(podsToDelete(pods, pods, 2, NOW)), ['b', 'a']);
    assert.deepEqual(podsToDelete(pods, pods, 0, NOW), []);
  });
});

describe('podRanks', () => {
  it('counts active related pods per node', () => {
    const related = [
      pod({ name: 'a', node: 'n1' }),
      pod({ name: 'b', node: 'n1' }),
      pod({ name: 'c', node: 'n1', deleting: true }),
      pod({ name: 'd', node: 'n2' }),
    ];
    assert.deepEqual(
      podRanks([pod({ name: 'x', node: 'n1' }), pod({ name: 'y', node: 'n3' })], related),
      [2, 0],
    );
  });
});

describe('podDeletionCost', () => {
  const cases = [
    ['100', 100],
    ['-5', -5],
    ['0', 0],
    ['2147483647', 2147483647],
    ['2147483648', 0],
    ['007', 0],
    ['+1', 0],
    ['1.5', 0],
    ['x', 0],
  ] as const;
  for (const [text, want] of cases) {
    it(`${JSON.stringify(text)} → ${want}`, () => {
      assert.equal(podDeletionCost(pod({ name: 'p', cost: text })), want);
    });
  }
  it('missing → 0', () => {
    assert.equal(podDeletionCost(pod({ name: 'p' })), 0);
  });
});

describe('logarithmicBucket', () => {
  const cases = [
    { ageSeconds: 60, want: 35 },
    { ageSeconds: 100, want: 36 },
    { ageSeconds: 110, want: 36 },
    { ageSeconds: 3600, want: 41 },
    { ageSeconds: 0, want: -1 },
    { ageSeconds: -5, want: -1 },
  ];
  for (const c of cases) {
    it(`${c.ageSeconds}s → ${c.want}`, () => {
      assert.equal(logarithmicBucket(NOW - c.ageSeconds * 1000, NOW), c.want);
    });
  }
});
