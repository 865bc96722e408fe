import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1OwnerReference, V1Pod } from '@kubernetes/client-node';
import {
  checkNamedTarget,
  findScaleTarget,
  type ReplicaSetOwnerLookup,
} from '../../../operators/sla/observe/scale-target.ts';

const owner = (apiVersion: string, kind: string, name: string): V1OwnerReference => ({
  apiVersion,
  kind,
  name,
  uid: `${name}-uid`,
  controller: true,
});
const pod = (name: string, controller?: V1OwnerReference, deleting = false): V1Pod => ({
  metadata: {
    name,
    ...(controller ? { ownerReferences: [controller] } : {}),
    ...(deleting ? { deletionTimestamp: new Date() } : {}),
  },
});
const parents: Record<string, V1OwnerReference | undefined> = {
  'apps/v1/web-1': owner('apps/v1', 'Deployment', 'web'),
  'apps/v1/web-2': owner('apps/v1', 'Deployment', 'web'),
  'apps.typerator.dev/v1/api-1': owner('apps.typerator.dev/v1', 'Deployment', 'api'),
};
function lookup(calls: string[] = []): ReplicaSetOwnerLookup {
  return (apiVersion, name) => {
    calls.push(`${apiVersion}/${name}`);
    return Promise.resolve(parents[`${apiVersion}/${name}`]);
  };
}

describe('findScaleTarget', () => {
  it('follows pods through their ReplicaSets to one Deployment, looking each ReplicaSet up once', async () => {
    const calls: string[] = [];
    const pods = [
      pod('a', owner('apps/v1', 'ReplicaSet', 'web-1')),
      pod('b', owner('apps/v1', 'ReplicaSet', 'web-1')),
      pod('c', owner('apps/v1', 'ReplicaSet', 'web-2')),
    ];
    assert.deepEqual(await findScaleTarget(pods, lookup(calls)), {
      target: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    });
    assert.deepEqual(calls, ['apps/v1/web-1', 'apps/v1/web-2']);
  });

  it('finds our own kinds and StatefulSets, and a ReplicaSet that nothing controls', async () => {
    assert.deepEqual(
      await findScaleTarget([pod('a', owner('apps.typerator.dev/v1', 'ReplicaSet', 'api-1'))], lookup()),
      { target: { apiVersion: 'apps.typerator.dev/v1', kind: 'Deployment', name: 'api' } },
    );
    assert.deepEqual(await findScaleTarget([pod('db-0', owner('apps/v1', 'StatefulSet', 'db'))], lookup()), {
      target: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' },
    });
    assert.deepEqual(await findScaleTarget([pod('x', owner('apps/v1', 'ReplicaSet', 'lonely'))], lookup()), {
      target: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'lonely' },
    });
  });

  it('refuses to choose between several workloads and names them', async () => {
    const result = await findScaleTarget(
      [pod('a', owner('apps/v1', 'ReplicaSet', 'web-1')), pod('db-0', owner('apps/v1', 'StatefulSet', 'db'))],
      lookup(),
    );
    assert.ok('problem' in result);
    assert.equal(result.problem, 'SeveralTargets');
    assert.match(
      result.message,
      /Deployment web \(apps\/v1\), StatefulSet db \(apps\/v1\); narrow the selector/,
    );
  });

  it('says when no pod matches, ignoring pods being deleted, and when pods have no workload', async () => {
    const none = await findScaleTarget([pod('old', owner('apps/v1', 'StatefulSet', 'db'), true)], lookup());
    assert.ok('problem' in none);
    assert.equal(none.problem, 'NoPods');
    const bare = await findScaleTarget([pod('p1'), pod('p2', owner('batch/v1', 'Job', 'j'))], lookup());
    assert.ok('problem' in bare);
    assert.equal(bare.problem, 'PodsNotControlled');
    assert.match(bare.message, /\(p1, p2\) belong to no Deployment/);
  });
});

describe('checkNamedTarget', () => {
  it('accepts the workload kinds of both groups and refuses others with the field named', () => {
    assert.deepEqual(checkNamedTarget({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' }), {
      target: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' },
    });
    const refused = checkNamedTarget({ apiVersion: 'batch/v1', kind: 'Job', name: 'j' });
    assert.ok('problem' in refused);
    assert.match(refused.message, /^spec\.scaleTargetRef names Job j \(batch\/v1\); expected/);
  });
});
