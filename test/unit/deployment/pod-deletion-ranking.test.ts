import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import {
  logarithmicBucket,
  podDeletionCost,
  podRanks,
  podsToDelete,
  rankPodsForDeletion,
  relatedPodsForRanking,
} from '../../../operators/deployment/logic/pod-deletion-ranking.ts';
import type { ReplicaSet } from '../../../operators/deployment/api/types.ts';
import { NOW, pod, replicaSet } from './fixtures.ts';

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

describe('relatedPodsForRanking', () => {
  const owned = (
    name: string,
    ownerUid: string | undefined,
    selector: Record<string, string>,
  ): ReplicaSet => {
    const rs = replicaSet(name, { replicas: 1 });
    return {
      ...rs,
      metadata: {
        ...rs.metadata,
        ...(ownerUid === undefined
          ? {}
          : {
              ownerReferences: [
                { apiVersion: 'v1', kind: 'Deployment', name: 'd', uid: ownerUid, controller: true },
              ],
            }),
      },
      spec: { ...rs.spec, selector: { matchLabels: selector } },
    };
  };
  const labelled = (name: string, labels: Record<string, string>, node = 'n1'): V1Pod => {
    const p = pod({ name, node });
    return { ...p, metadata: { ...p.metadata, labels } };
  };

  it('a ReplicaSet without a controller has no related pods, so every rank is 0', () => {
    const rs = owned('rs', undefined, { app: 'web' });
    const pods = [labelled('a', { app: 'web' }), labelled('b', { app: 'web' })];
    assert.deepEqual(relatedPodsForRanking(rs, [rs], pods), []);
    assert.deepEqual(podRanks(pods, relatedPodsForRanking(rs, [rs], pods)), [0, 0]);
  });

  it('takes the pods that any sibling selector matches, whoever owns them, each once', () => {
    const rs = owned('new', 'd-uid', { app: 'web', hash: 'new' });
    const old = owned('old', 'd-uid', { app: 'web', hash: 'old' });
    const wide = owned('wide', 'd-uid', { app: 'web' });
    const stranger = owned('stranger', 'other-uid', { app: 'db' });
    const pods = [
      labelled('n', { app: 'web', hash: 'new' }),
      labelled('o', { app: 'web', hash: 'old' }),
      labelled('orphan', { app: 'web' }),
      labelled('db', { app: 'db' }),
    ];
    assert.deepEqual(names(relatedPodsForRanking(rs, [rs, old, wide, stranger], pods)), ['n', 'o', 'orphan']);
    assert.deepEqual(names(relatedPodsForRanking(rs, [rs, old, stranger], pods)), ['n', 'o']);
  });

  it('a sibling with an invalid selector matches nothing', () => {
    const rs = owned('rs', 'd-uid', { app: 'web' });
    const broken = owned('broken', 'd-uid', { 'bad key!': 'x' });
    assert.deepEqual(names(relatedPodsForRanking(rs, [broken, rs], [labelled('a', { app: 'web' })])), ['a']);
  });
});
