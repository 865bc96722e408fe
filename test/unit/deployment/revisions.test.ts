import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  annotationsForRollback,
  appendRevisionHistory,
  copyDeploymentAnnotations,
  lastRevision,
  maxRevision,
  newReplicaSetAnnotations,
  nextRevision,
  parseInt64,
} from '../../../operators/deployment/logic/revisions.ts';
import { replicaSet } from './fixtures.ts';

const REVISION = 'deployment.kubernetes.io/revision';
const HISTORY = 'deployment.kubernetes.io/revision-history';

describe('revision numbers', () => {
  it('the huge e2e revision 3546343826724305832 is followed by …833, beyond Number precision', () => {
    const old = [replicaSet('pre', { replicas: 1, revision: '3546343826724305832' })];
    assert.equal(nextRevision(old), '3546343826724305833');
    assert.notEqual(String(Number('3546343826724305832') + 1), '3546343826724305833');
  });

  const cases = [
    { name: 'no old ReplicaSets', revisions: [], max: 0n, last: 0n, next: '1' },
    { name: 'missing annotation counts as 0', revisions: [undefined, '2'], max: 2n, last: 0n, next: '3' },
    { name: 'malformed revisions are skipped', revisions: ['x', '3', '1'], max: 3n, last: 1n, next: '4' },
    {
      name: 'second highest for rollback to 0',
      revisions: ['1', '4', '2', '3'],
      max: 4n,
      last: 3n,
      next: '5',
    },
    {
      name: 'out of int64 range is malformed',
      revisions: ['9223372036854775808', '7'],
      max: 7n,
      last: 0n,
      next: '8',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const rss = c.revisions.map((revision, i) =>
        replicaSet(`rs-${i}`, { replicas: 0, ...(revision === undefined ? {} : { revision }) }),
      );
      assert.equal(maxRevision(rss), c.max);
      assert.equal(lastRevision(rss), c.last);
      assert.equal(nextRevision(rss), c.next);
    });
  }

  it('parseInt64 reads like strconv.ParseInt', () => {
    assert.equal(parseInt64('+5'), 5n);
    assert.equal(parseInt64('-9223372036854775808'), -(2n ** 63n));
    assert.equal(parseInt64('1e3'), undefined);
    assert.equal(parseInt64(' 1'), undefined);
  });
});

describe('appendRevisionHistory', () => {
  const cases = [
    { name: 'first entry', history: undefined, add: '1', limit: 2000, want: '1' },
    { name: 'empty history', history: '', add: '1', limit: 2000, want: '1' },
    { name: 'appends', history: '1,3', add: '4', limit: 2000, want: '1,3,4' },
    { name: 'drops the oldest entries to fit', history: '10,11,12', add: '13', limit: 7, want: '12,13' },
    { name: 'drops only as many as needed', history: '10,11,12', add: '13', limit: 8, want: '11,12,13' },
    { name: 'exactly at the limit is kept', history: '10,11', add: '12', limit: 8, want: '10,11,12' },
    {
      name: 'an entry that cannot fit leaves the history alone',
      history: '1',
      add: '123456789',
      limit: 5,
      want: '1',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(appendRevisionHistory(c.history, c.add, c.limit), c.want);
    });
  }

  it('stays within 2000 characters by default', () => {
    const history = Array.from({ length: 600 }, (_, i) => String(1000 + i)).join(',');
    const result = appendRevisionHistory(history, '99999');
    assert.ok(result.length <= 2000);
    assert.ok(result.endsWith(',99999'));
    assert.ok(!result.startsWith('1000,'));
  });
});

describe('annotation copying', () => {
  const deploymentAnnotations = {
    test: 'yes',
    'kubernetes.io/change-cause': 'image bump',
    'kubectl.kubernetes.io/last-applied-configuration': '{}',
    [REVISION]: '7',
    [HISTORY]: '1',
    'deployment.kubernetes.io/desired-replicas': '3',
    'deployment.kubernetes.io/max-replicas': '4',
    'deprecated.deployment.rollback.to': '0',
  };

  it('copies all but the skip list, additively', () => {
    assert.deepEqual(copyDeploymentAnnotations(deploymentAnnotations, { keep: 'me', test: 'old' }), {
      keep: 'me',
      test: 'yes',
      'kubernetes.io/change-cause': 'image bump',
    });
  });

  it('a rollback replaces the Deployment annotations with the ReplicaSet ones, keeping its own skip-list keys', () => {
    const rsAnnotations = { other: 'x', [REVISION]: '2', 'deployment.kubernetes.io/desired-replicas': '9' };
    assert.deepEqual(annotationsForRollback(deploymentAnnotations, rsAnnotations), {
      other: 'x',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      [REVISION]: '7',
      [HISTORY]: '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
      'deprecated.deployment.rollback.to': '0',
    });
  });
});

describe('newReplicaSetAnnotations', () => {
  const base = {
    deploymentAnnotations: { test: 'yes' },
    created: false,
    desiredReplicas: 20,
    maxReplicas: 25,
  };
  const cases = [
    {
      name: 'a created ReplicaSet gets copies, revision and replica annotations',
      input: { ...base, created: true, replicaSetAnnotations: undefined, newRevision: '1' },
      want: {
        test: 'yes',
        [REVISION]: '1',
        'deployment.kubernetes.io/desired-replicas': '20',
        'deployment.kubernetes.io/max-replicas': '25',
      },
      changed: true,
    },
    {
      name: 'a rollback raises the revision and records the old one (rev1 → rev3, history "1")',
      input: { ...base, replicaSetAnnotations: { test: 'yes', [REVISION]: '1' }, newRevision: '3' },
      want: { test: 'yes', [REVISION]: '3', [HISTORY]: '1' },
      changed: true,
    },
    {
      name: 'a second rollback appends to the history',
      input: {
        ...base,
        replicaSetAnnotations: { test: 'yes', [REVISION]: '3', [HISTORY]: '1' },
        newRevision: '5',
      },
      want: { test: 'yes', [REVISION]: '5', [HISTORY]: '1,3' },
      changed: true,
    },
    {
      name: 'a higher existing revision is never lowered',
      input: { ...base, replicaSetAnnotations: { test: 'yes', [REVISION]: '9' }, newRevision: '4' },
      want: { test: 'yes', [REVISION]: '9' },
      changed: false,
    },
    {
      name: 'revisions compare as numbers, not strings ("10" > "9")',
      input: { ...base, replicaSetAnnotations: { test: 'yes', [REVISION]: '10' }, newRevision: '9' },
      want: { test: 'yes', [REVISION]: '10' },
      changed: false,
    },
    {
      name: 'an existing ReplicaSet without revision gets one and no history',
      input: { ...base, replicaSetAnnotations: {}, newRevision: '2' },
      want: { test: 'yes', [REVISION]: '2' },
      changed: true,
    },
    {
      name: 'a malformed existing revision changes nothing',
      input: { ...base, replicaSetAnnotations: { [REVISION]: 'abc' }, newRevision: '2' },
      want: { [REVISION]: 'abc' },
      changed: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = newReplicaSetAnnotations(c.input);
      assert.deepEqual(result.annotations, c.want);
      assert.equal(result.changed, c.changed);
    });
  }
});
