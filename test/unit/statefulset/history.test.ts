import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1ControllerRevision } from '@kubernetes/client-node';
import { revisionsToDelete } from '../../../operators/statefulset/logic/history.ts';
import { NOW, statefulPod, statefulSet } from './fixtures.ts';

const rev = (revision: number, created = 0): V1ControllerRevision => ({
  revision,
  metadata: { name: `web-r${revision}`, creationTimestamp: new Date(NOW + created * 1000) },
});
const names = (list: readonly V1ControllerRevision[]) => list.map((r) => r.metadata?.name);

describe('revisionsToDelete', () => {
  const five = [rev(3), rev(1), rev(5), rev(2), rev(4)];
  const cases = [
    {
      name: 'keeps the newest revisionHistoryLimit non-live revisions, deletes the lowest',
      limit: 2,
      live: { current: 'web-r5', update: 'web-r5' },
      pods: [],
      want: ['web-r1', 'web-r2'],
    },
    {
      name: 'current, update and every pod label are live: neither counted nor deleted',
      limit: 1,
      live: { current: 'web-r1', update: 'web-r5' },
      pods: [statefulPod(statefulSet(), 0, { revision: 'web-r3' })],
      want: ['web-r2'],
    },
    {
      name: 'limit 0: every non-live revision',
      limit: 0,
      live: { current: 'web-r4', update: 'web-r5' },
      pods: [],
      want: ['web-r1', 'web-r2', 'web-r3'],
    },
    { name: 'within the limit: nothing', limit: 10, live: {}, pods: [], want: [] },
    { name: 'a negative limit keeps everything', limit: -1, live: {}, pods: [], want: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const set = statefulSet({ revisionHistoryLimit: c.limit });
      assert.deepEqual(names(revisionsToDelete(set, five, c.live, c.pods)), c.want);
    });
  }
  it('default limit 10', () => {
    const many = Array.from({ length: 13 }, (_, i) => rev(i + 1));
    const set = statefulSet();
    delete set.spec.revisionHistoryLimit;
    assert.deepEqual(names(revisionsToDelete(set, many, { update: 'web-r13' }, [])), ['web-r1', 'web-r2']);
  });
  it('equal numbers: older first', () => {
    const tie = [
      { ...rev(1, 10), metadata: { name: 'newer', creationTimestamp: new Date(NOW + 10_000) } },
      { ...rev(1, 0), metadata: { name: 'older', creationTimestamp: new Date(NOW) } },
    ];
    assert.deepEqual(names(revisionsToDelete(statefulSet({ revisionHistoryLimit: 1 }), tie, {}, [])), [
      'older',
    ]);
  });
});
