import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1ControllerRevision } from '@kubernetes/client-node';
import type { StatefulSet } from '../../../operators/statefulset/api/types.ts';
import {
  compareRevisions,
  CONTROLLER_REVISION_HASH_KEY,
  controllerRevisionName,
  fnv1_32,
  newRevision,
  nextRevisionNumber,
  onRevisionNameTaken,
  revisionData,
  revisionHash,
  revisionsEqual,
  revisionTemplate,
  selectRevisions,
  sortRevisions,
} from '../../../operators/statefulset/logic/revisions.ts';
import { NOW, statefulSet } from './fixtures.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const withImage = (set: StatefulSet, image: string, currentRevision?: string): StatefulSet => {
  const copy = structuredClone(set);
  const container = copy.spec.template.spec?.containers[0];
  if (container !== undefined) container.image = image;
  if (currentRevision !== undefined) copy.status = { replicas: 0, currentRevision };
  return copy;
};
const named = (r: V1ControllerRevision) => [r.metadata?.name, r.revision];

describe('fnv1_32 (FNV-1, not FNV-1a)', () => {
  const cases = [
    { input: '', want: 0x811c9dc5 },
    { input: 'a', want: 0x050c5d7e },
    { input: 'foobar', want: 0x31f0b262 },
  ];
  for (const c of cases) {
    it(JSON.stringify(c.input), () => {
      assert.equal(fnv1_32(bytes(c.input)), c.want);
    });
  }
  it('continues a hash', () => {
    assert.equal(fnv1_32(bytes('bar'), fnv1_32(bytes('foo'))), fnv1_32(bytes('foobar')));
  });
});

describe('revisionData and revisionHash', () => {
  const set = statefulSet();
  it('is the replace-patch of the canonical template (empty fields dropped)', () => {
    const template = {
      metadata: { labels: { app: 'web' }, annotations: {} },
      spec: { containers: [{ name: 'c', image: 'i', env: [] }] },
    };
    assert.deepEqual(revisionData(template), {
      spec: {
        template: {
          $patch: 'replace',
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ image: 'i', name: 'c' }] },
        },
      },
    });
    assert.deepEqual(revisionData({}), { spec: { template: { $patch: 'replace' } } });
  });
  it('hash: 1–10 characters from the digits of the safe alphabet, stable', () => {
    const hash = revisionHash(revisionData(set.spec.template), 0);
    assert.match(hash, /^[456789bcdf]{1,10}$/);
    assert.equal(revisionHash(revisionData(structuredClone(set.spec.template)), 0), hash);
  });
  it('hash: the collision count always counts (0 ≠ 1), and so does the template', () => {
    const data = revisionData(set.spec.template);
    assert.notEqual(revisionHash(data, 0), revisionHash(data, 1));
    assert.notEqual(revisionHash(data, 0), revisionHash(revisionData(withImage(set, 'x').spec.template), 0));
  });
  it('hash: key order and absent-like values do not count', () => {
    const a = { spec: { containers: [{ name: 'c', image: 'i' }] }, metadata: { labels: { app: 'web' } } };
    const b = {
      metadata: { labels: { app: 'web' }, annotations: {} },
      spec: { containers: [{ image: 'i', name: 'c', ports: [] }] },
    };
    assert.equal(revisionHash(revisionData(a), 0), revisionHash(revisionData(b), 0));
  });
  it('names: <set>-<hash>, the set part cut to 223 characters', () => {
    assert.equal(controllerRevisionName('web', '6c9f8b7d4'), 'web-6c9f8b7d4');
    assert.equal(controllerRevisionName('a'.repeat(300), 'h'), `${'a'.repeat(223)}-h`);
  });
});

describe('newRevision', () => {
  const set = statefulSet({
    annotations: { note: 'x', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
  });
  const revision = newRevision(set, 3, 0);
  const hash = revisionHash(revisionData(set.spec.template), 0);
  it('named after the hash, numbered, in the namespace, controlled by the set', () => {
    assert.equal(revision.metadata?.name, `web-${hash}`);
    assert.equal(revision.revision, 3);
    assert.equal(revision.metadata?.namespace, 'ns');
    assert.deepEqual(
      revision.metadata?.ownerReferences?.map((r) => [r.kind, r.name, r.controller]),
      [['StatefulSet', 'web', true]],
    );
    assert.deepEqual([revision.apiVersion, revision.kind], ['apps/v1', 'ControllerRevision']);
  });
  it('labels: the template labels plus the hash; annotations: all of the set (last-applied too)', () => {
    assert.deepEqual(revision.metadata?.labels, { app: 'web', [CONTROLLER_REVISION_HASH_KEY]: hash });
    assert.deepEqual(revision.metadata?.annotations, set.metadata?.annotations);
  });
  it('restores its template', () => {
    assert.deepEqual(revisionTemplate(revision, {}), set.spec.template);
  });
});

describe('revisionsEqual / revisionTemplate', () => {
  const set = statefulSet();
  const ours = newRevision(set, 1, 0);
  it('equal whatever the name, number and serialisation of the data', () => {
    const reserialised: V1ControllerRevision = {
      revision: 9,
      metadata: { name: 'other' },
      data: JSON.parse(
        JSON.stringify({
          spec: {
            template: {
              spec: set.spec.template.spec,
              metadata: { labels: { app: 'web' }, creationTimestamp: null },
              $patch: 'replace',
            },
          },
        }),
      ) as unknown,
    };
    assert.equal(revisionsEqual(ours, reserialised), true);
    assert.equal(revisionsEqual(ours, newRevision(withImage(set, 'nginx:2'), 1, 0)), false);
  });
  it('data without a template (or none at all) restores the fallback', () => {
    const fallback = { metadata: { labels: { a: 'b' } } };
    for (const data of [undefined, 'x', {}, { spec: {} }, { spec: { template: [] } }]) {
      assert.deepEqual(revisionTemplate({ revision: 1, data }, fallback), fallback);
    }
  });
});

describe('sortRevisions / nextRevisionNumber', () => {
  const rev = (name: string, revision: number, created: number): V1ControllerRevision => ({
    revision,
    metadata: { name, creationTimestamp: new Date(NOW + created * 1000) },
  });
  it('by .revision, then creation, then name', () => {
    const sorted = sortRevisions([
      rev('c', 2, 0),
      rev('b', 1, 5),
      rev('a', 1, 5),
      rev('z', 1, 0),
      rev('d', 10, 0),
    ]);
    assert.deepEqual(
      sorted.map((r) => r.metadata?.name),
      ['z', 'a', 'b', 'c', 'd'],
    );
    assert.equal(compareRevisions(rev('a', 1, 0), rev('a', 1, 0)), 0);
  });
  it('next is the highest + 1, or 1', () => {
    assert.equal(nextRevisionNumber([]), 1);
    assert.equal(nextRevisionNumber([rev('a', 3, 0), rev('b', 1, 0)]), 4);
  });
});

describe('selectRevisions (upstream getStatefulSetRevisions cases)', () => {
  const set = statefulSet();
  const rev0 = newRevision(set, 1, 0);
  const set1 = withImage(set, 'foo', rev0.metadata?.name);
  const rev1 = newRevision(set1, 2, 0);
  const set2 = structuredClone(set1);
  set2.spec.template.metadata = { labels: { app: 'web', new: 'label' } };
  const rev2 = newRevision(set2, 3, 0);

  it('creates the initial revision; current is the update revision', () => {
    const selection = selectRevisions(set, []);
    assert.equal(selection.update.kind, 'create');
    assert.deepEqual(named(selection.update.revision), named(rev0));
    assert.equal(selection.current, undefined);
    assert.equal(selection.collisionCount, 0);
  });
  it('creates a revision on a template change; current stays the one status names', () => {
    const selection = selectRevisions(set1, [rev0]);
    assert.equal(selection.update.kind, 'create');
    assert.deepEqual(named(selection.update.revision), named(rev1));
    assert.deepEqual(selection.current && named(selection.current), named(rev0));
  });
  it('reuses the latest revision when the template did not change', () => {
    const selection = selectRevisions(set1, [rev1, rev0]);
    assert.deepEqual(
      [selection.update.kind, ...named(selection.update.revision)],
      ['latest', ...named(rev1)],
    );
  });
  it('rolls back by renumbering the older equal revision (name kept)', () => {
    const selection = selectRevisions(set1, [rev0, rev1, rev2]);
    assert.equal(selection.update.kind, 'rollback');
    assert.deepEqual(named(selection.update.revision), named(rev1));
    assert.equal(selection.update.kind === 'rollback' ? selection.update.revisionNumber : 0, 4);
  });
  it('rolls back to the newest of several equal revisions', () => {
    const copy = { ...rev0, metadata: { ...rev0.metadata, name: 'web-copy' }, revision: 2 };
    const selection = selectRevisions(set, [rev0, copy, { ...rev1, revision: 3 }]);
    assert.deepEqual(
      [selection.update.kind, selection.update.revision.metadata?.name],
      ['rollback', 'web-copy'],
    );
  });
  it('uses status.collisionCount in the new name; unknown currentRevision means none', () => {
    const collided = structuredClone(set);
    collided.status = { replicas: 0, collisionCount: 2, currentRevision: 'web-gone' };
    const selection = selectRevisions(collided, [rev0]);
    assert.equal(selection.collisionCount, 2);
    assert.equal(selection.current, undefined);
    // Same template, so rev0 is the latest and equal: reused despite the count.
    assert.equal(selection.update.kind, 'latest');
    const fresh = selectRevisions(collided, []);
    assert.equal(
      fresh.update.revision.metadata?.name,
      `web-${revisionHash(revisionData(set.spec.template), 2)}`,
    );
  });
});

describe('onRevisionNameTaken', () => {
  const set = statefulSet();
  const attempted = newRevision(set, 2, 0);
  it('the same data under that name: use it', () => {
    assert.deepEqual(onRevisionNameTaken(set, { ...attempted, revision: 1 }, attempted, 0), {
      kind: 'use-existing',
    });
  });
  it('other data: bump collisionCount and retry under a new name, same number', () => {
    const other = newRevision(withImage(set, 'x'), 1, 0);
    const outcome = onRevisionNameTaken(set, other, attempted, 0);
    assert.equal(outcome.kind, 'retry');
    if (outcome.kind !== 'retry') return;
    assert.equal(outcome.collisionCount, 1);
    assert.equal(outcome.revision.revision, 2);
    assert.notEqual(outcome.revision.metadata?.name, attempted.metadata?.name);
    assert.equal(revisionsEqual(outcome.revision, attempted), true);
  });
});
