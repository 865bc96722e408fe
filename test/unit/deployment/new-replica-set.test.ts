import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  deploymentBookkeeping,
  isOurNewReplicaSet,
  newReplicaSetFor,
  newReplicaSetTargetReplicas,
  nextCollisionCount,
  syncedNewReplicaSet,
} from '../../../operators/deployment/logic/new-replica-set.ts';
import { podTemplateHash } from '../../../operators/deployment/logic/hash.ts';
import { NOW, deployment, replicaSet } from './fixtures.ts';

describe('newReplicaSetFor', () => {
  it('builds the new ReplicaSet as scenario 1 observes it (20 replicas, annotations copied)', () => {
    const d = deployment({
      replicas: 20,
      minReadySeconds: 4,
      annotations: { test: 'should-copy', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    });
    const rs = newReplicaSetFor(d, []);
    const hash = podTemplateHash(d.spec.template);
    assert.equal(rs.metadata?.name, `web-${hash}`);
    assert.equal(rs.metadata?.namespace, 'ns');
    assert.deepEqual(rs.metadata?.labels, { app: 'web', 'pod-template-hash': hash });
    assert.deepEqual(rs.spec.template?.metadata?.labels, { app: 'web', 'pod-template-hash': hash });
    assert.deepEqual(rs.spec.selector.matchLabels, { app: 'web', 'pod-template-hash': hash });
    assert.deepEqual(rs.metadata?.ownerReferences, [
      {
        apiVersion: 'apps.typerator.dev/v1',
        kind: 'Deployment',
        name: 'web',
        uid: 'd-uid',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    assert.equal(rs.spec.minReadySeconds, 4);
    assert.equal(rs.spec.replicas, 20, 'a brand-new Deployment starts at full size');
    assert.deepEqual(rs.metadata?.annotations, {
      test: 'should-copy',
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '20',
      'deployment.kubernetes.io/max-replicas': '25',
    });
    assert.equal(
      d.spec.template.metadata?.labels?.['pod-template-hash'],
      undefined,
      'the Deployment is not mutated',
    );
  });

  it('keeps matchExpressions and uses collisionCount for the hash', () => {
    const base = deployment({ status: { collisionCount: 1 } });
    const d = {
      ...base,
      spec: { ...base.spec, selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] } },
    };
    const rs = newReplicaSetFor(d, []);
    const hash = podTemplateHash(d.spec.template, 1);
    assert.notEqual(hash, podTemplateHash(d.spec.template));
    assert.equal(rs.metadata?.name, `web-${hash}`);
    assert.deepEqual(rs.spec.selector, {
      matchExpressions: [{ key: 'app', operator: 'Exists' }],
      matchLabels: { 'pod-template-hash': hash },
    });
  });

  const sizes = [
    {
      name: 'RollingUpdate next to a full old RS: the surge',
      d: deployment({ replicas: 10, maxSurge: 3, maxUnavailable: 2 }),
      old: [10],
      want: 3,
    },
    {
      name: 'RollingUpdate at 13 pods (roll-over): 0',
      d: deployment({ replicas: 10, maxSurge: 3, maxUnavailable: 2 }),
      old: [8, 5],
      want: 0,
    },
    {
      name: 'RollingUpdate above the budget never goes negative',
      d: deployment({ replicas: 10, maxSurge: 3, maxUnavailable: 2 }),
      old: [15],
      want: 0,
    },
    {
      name: 'Recreate: all replicas',
      d: deployment({ replicas: 10, strategy: 'Recreate' }),
      old: [0],
      want: 10,
    },
    { name: '1 replica at 25%/25%: 1 (Σspec 2)', d: deployment({ replicas: 1 }), old: [1], want: 1 },
    {
      name: '2 replicas at 0/1: 0',
      d: deployment({ replicas: 2, maxSurge: 0, maxUnavailable: 1 }),
      old: [2],
      want: 0,
    },
  ];
  for (const c of sizes) {
    it(`size: ${c.name}`, () => {
      const old = c.old.map((n, i) => replicaSet(`old-${i}`, { replicas: n, revision: String(i + 1) }));
      const rs = newReplicaSetFor(c.d, old);
      assert.equal(rs.spec.replicas, c.want);
      assert.equal(rs.metadata?.annotations?.['deployment.kubernetes.io/revision'], String(c.old.length + 1));
    });
  }
});

describe('newReplicaSetTargetReplicas', () => {
  const d = deployment({ replicas: 10, maxSurge: 3, maxUnavailable: 2 });
  const cases = [
    { name: 'grows by the room left', old: [8], current: 0, want: 5 },
    { name: 'never above replicas', old: [0], current: 8, want: 10 },
    { name: 'no room: stays', old: [10], current: 3, want: 3 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const newRS = replicaSet('new', { replicas: c.current });
      const all = [...c.old.map((n, i) => replicaSet(`o${i}`, { replicas: n })), newRS];
      assert.equal(newReplicaSetTargetReplicas(d, all, newRS), c.want);
    });
  }
});

describe('syncedNewReplicaSet', () => {
  it('copies new annotations and minReadySeconds, raising the revision', () => {
    const d = deployment({ minReadySeconds: 1, annotations: { 'kubernetes.io/change-cause': 'bump' } });
    const rs = replicaSet('new', { replicas: 10, image: 'nginx:1', revision: '1' });
    const synced = syncedNewReplicaSet(d, rs, [replicaSet('old', { replicas: 0, revision: '2' })]);
    assert.equal(synced?.spec.minReadySeconds, 1);
    assert.equal(synced?.metadata?.annotations?.['kubernetes.io/change-cause'], 'bump');
    assert.equal(synced?.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
    assert.equal(synced?.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], '1');
  });
  it('is undefined when nothing changes', () => {
    const d = deployment({ annotations: { a: 'b' } });
    const rs = replicaSet('new', { replicas: 10, revision: '2', annotations: { a: 'b' } });
    assert.equal(
      syncedNewReplicaSet(d, { ...rs, spec: { ...rs.spec, minReadySeconds: 0 } }, [
        replicaSet('old', { replicas: 0, revision: '1' }),
      ]),
      undefined,
    );
  });
});

describe('hash collisions', () => {
  const d = deployment();
  const ours = { ...replicaSet('web-x', { replicas: 1, image: 'nginx:1' }) };
  const withOwner = (uid: string) => ({
    ...ours,
    metadata: {
      ...ours.metadata,
      ownerReferences: [{ apiVersion: 'v', kind: 'Deployment', name: 'web', uid, controller: true }],
    },
  });
  const cases = [
    { name: 'ours with the same template: use it', rs: withOwner('d-uid'), want: true },
    { name: 'another owner: collision', rs: withOwner('other'), want: false },
    { name: 'orphaned (labels changed): collision', rs: ours, want: false },
    {
      name: 'ours with another template: collision',
      rs: {
        ...withOwner('d-uid'),
        spec: { ...ours.spec, template: { metadata: {}, spec: { containers: [] } } },
      },
      want: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(isOurNewReplicaSet(d, c.rs), c.want);
    });
  }
  it('collisionCount goes unset → 1 → 2', () => {
    assert.equal(nextCollisionCount(deployment()), 1);
    assert.equal(nextCollisionCount(deployment({ status: { collisionCount: 1 } })), 2);
  });
});

describe('deploymentBookkeeping', () => {
  const rs = replicaSet('web-abc', { replicas: 1, revision: '3' });
  const progressingOf = (b: ReturnType<typeof deploymentBookkeeping>) =>
    b?.conditions?.find((c) => c.type === 'Progressing');

  it('after a create: revision and Progressing True NewReplicaSetCreated', () => {
    const b = deploymentBookkeeping(
      deployment({ annotations: { 'deployment.kubernetes.io/revision': '2' } }),
      rs,
      true,
      NOW,
    );
    assert.equal(b?.revision, '3');
    assert.deepEqual(
      [progressingOf(b)?.status, progressingOf(b)?.reason, progressingOf(b)?.message],
      ['True', 'NewReplicaSetCreated', 'Created new replica set "web-abc"'],
    );
  });
  it('an existing new RS without a Progressing condition: FoundNewReplicaSet', () => {
    const b = deploymentBookkeeping(
      deployment({ annotations: { 'deployment.kubernetes.io/revision': '3' } }),
      rs,
      false,
      NOW,
    );
    assert.equal(b?.revision, undefined);
    assert.deepEqual(
      [progressingOf(b)?.reason, progressingOf(b)?.message],
      ['FoundNewReplicaSet', 'Found new replica set "web-abc"'],
    );
  });
  it('nothing to do when revision matches and Progressing exists', () => {
    const d = deployment({
      annotations: { 'deployment.kubernetes.io/revision': '3' },
      status: { conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }] },
    });
    assert.equal(deploymentBookkeeping(d, rs, false, NOW), undefined);
  });
  it('no conditions without a progress deadline', () => {
    const b = deploymentBookkeeping(deployment({ progressDeadlineSeconds: 2147483647 }), rs, true, NOW);
    assert.deepEqual(b, { revision: '3' });
  });
});
