import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment } from '../../../operators/deployment/api/types.ts';
import {
  chooseSyncPath,
  cleansUpInSync,
  rollbackTarget,
} from '../../../operators/deployment/logic/sync-path.ts';
import { deployment, replicaSet } from './fixtures.ts';

const rollbackTo = (revision: string) => ({ 'deprecated.deployment.rollback.to': revision });
const everything = (d: Deployment): Deployment => ({ ...d, spec: { ...d.spec, selector: {} } });
const deleting = (d: Deployment): Deployment => ({
  ...d,
  metadata: { ...d.metadata, deletionTimestamp: new Date() },
});
const scaled = [
  replicaSet('old', { replicas: 3, annotations: { 'deployment.kubernetes.io/desired-replicas': '5' } }),
];

describe('chooseSyncPath', () => {
  const cases = [
    {
      name: 'selector {} wins over everything',
      d: everything(deleting(deployment({ paused: true }))),
      old: [],
      want: 'selecting-all',
    },
    {
      name: 'being deleted: status only',
      d: deleting(deployment({ paused: true })),
      old: [],
      want: 'status-only',
    },
    {
      name: 'paused: sync, even with a rollback pending',
      d: deployment({ paused: true, annotations: rollbackTo('0') }),
      old: [],
      want: 'sync',
    },
    {
      name: 'rollback requested',
      d: deployment({ annotations: rollbackTo('2') }),
      old: scaled,
      want: 'rollback',
    },
    {
      name: 'malformed rollback request is ignored',
      d: deployment({ annotations: rollbackTo('two') }),
      old: [],
      want: 'rolling',
    },
    { name: 'scaling event: sync', d: deployment(), old: scaled, want: 'sync' },
    { name: 'Recreate rollout', d: deployment({ strategy: 'Recreate' }), old: [], want: 'recreate' },
    { name: 'RollingUpdate rollout', d: deployment(), old: [], want: 'rolling' },
  ] as const;
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(chooseSyncPath(c.d, undefined, c.old), c.want);
    });
  }
});

describe('rollbackTarget / cleansUpInSync', () => {
  it('reads the requested revision as a BigInt', () => {
    assert.equal(
      rollbackTarget(deployment({ annotations: rollbackTo('3546343826724305832') })),
      3546343826724305832n,
    );
    assert.equal(rollbackTarget(deployment()), undefined);
    assert.equal(rollbackTarget(deployment({ annotations: rollbackTo('') })), undefined);
  });
  it('cleans up only while paused with no rollback pending', () => {
    assert.equal(cleansUpInSync(deployment({ paused: true })), true);
    assert.equal(cleansUpInSync(deployment({ paused: true, annotations: rollbackTo('0') })), false);
    assert.equal(cleansUpInSync(deployment()), false);
  });
});
