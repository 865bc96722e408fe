import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { replicaSetsToCleanUp } from '../../../operators/deployment/logic/cleanup.ts';
import { deployment, replicaSet } from './fixtures.ts';

const names = (list: readonly { metadata?: { name?: string } }[]) => list.map((rs) => rs.metadata?.name);

describe('replicaSetsToCleanUp', () => {
  const empty = (name: string, revision: string, created = 0) =>
    replicaSet(name, { replicas: 0, revision, created });
  const cases = [
    {
      name: 'deletes the lowest revisions beyond the limit',
      limit: 2,
      old: [empty('r3', '3'), empty('r1', '1'), empty('r4', '4'), empty('r2', '2')],
      want: ['r1', 'r2'],
    },
    {
      name: 'revisions compare as numbers (10 after 9)',
      limit: 1,
      old: [empty('r10', '10'), empty('r9', '9')],
      want: ['r9'],
    },
    {
      name: 'limit 0 deletes every old ReplicaSet at 0 (e2e cleanup)',
      limit: 0,
      old: [empty('r1', '1'), empty('r2', '2')],
      want: ['r1', 'r2'],
    },
    {
      name: 'skips ReplicaSets with pods, spec replicas or an unobserved generation, without replacing them',
      limit: 0,
      old: [
        replicaSet('with-spec', { replicas: 1, revision: '1' }),
        replicaSet('with-pods', { replicas: 0, statusReplicas: 1, revision: '2' }),
        replicaSet('unobserved', { replicas: 0, revision: '3', generation: 2, observedGeneration: 1 }),
        empty('ok', '4'),
      ],
      want: ['ok'],
    },
    {
      name: 'ReplicaSets already being deleted neither count nor get deleted again',
      limit: 1,
      old: [
        replicaSet('going', { replicas: 0, revision: '1', deleting: true }),
        empty('r2', '2'),
        empty('r3', '3'),
      ],
      want: ['r2'],
    },
    {
      name: 'equal or malformed revisions fall back to creation order',
      limit: 1,
      old: [empty('later', 'x', 10), empty('earlier', '5', 0)],
      want: ['earlier'],
    },
    { name: 'within the limit: nothing', limit: 10, old: [empty('r1', '1')], want: [] },
    { name: 'MaxInt32: never', limit: 2147483647, old: [empty('r1', '1')], want: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(
        names(replicaSetsToCleanUp(deployment({ revisionHistoryLimit: c.limit }), c.old)),
        c.want,
      );
    });
  }
});
