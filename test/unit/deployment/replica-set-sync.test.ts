import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import type { ReplicaSet } from '../../../operators/deployment/api/types.ts';
import {
  calculateReplicaSetStatus,
  planReplicaChange,
  podForReplicaSet,
  replicaSetAvailabilityRequeue,
} from '../../../operators/deployment/logic/replica-set-sync.ts';
import { NOW, pod, replicaSet } from './fixtures.ts';

const pods = (n: number) =>
  Array.from({ length: n }, (_, i) => pod({ name: `p${i}`, node: 'n', readyFor: 100 + i }));
const labelled = (p: V1Pod, labels: Record<string, string>): V1Pod => ({
  ...p,
  metadata: { ...p.metadata, labels },
});

describe('planReplicaChange', () => {
  it('creates the missing pods', () => {
    assert.deepEqual(planReplicaChange(replicaSet('rs', { replicas: 5 }), pods(2), [], NOW), {
      kind: 'create',
      count: 3,
    });
  });
  it('caps a sync at the burst size', () => {
    assert.deepEqual(planReplicaChange(replicaSet('rs', { replicas: 900 }), [], [], NOW), {
      kind: 'create',
      count: 500,
    });
    assert.deepEqual(planReplicaChange(replicaSet('rs', { replicas: 10 }), [], [], NOW, 4), {
      kind: 'create',
      count: 4,
    });
  });
  it('deletes the lowest-ranked surplus pods', () => {
    const active = [...pods(2), pod({ name: 'unready', node: 'n' })];
    const change = planReplicaChange(replicaSet('rs', { replicas: 1 }), active, active, NOW);
    assert.deepEqual(change.kind === 'delete' ? change.pods.map((p) => p.metadata?.name) : [], [
      'unready',
      'p0',
    ]);
  });
  it('does nothing at size', () => {
    assert.deepEqual(planReplicaChange(replicaSet('rs', { replicas: 2 }), pods(2), [], NOW), {
      kind: 'none',
    });
  });
});

describe('podForReplicaSet', () => {
  it('copies labels, annotations, finalizers and spec from the template and is controlled by the RS', () => {
    const base = replicaSet('web-5d4f', { replicas: 1 });
    const rs: ReplicaSet = {
      ...base,
      spec: {
        ...base.spec,
        template: {
          metadata: { labels: { app: 'web' }, annotations: { a: 'b' }, finalizers: ['f'] },
          spec: { containers: [{ name: 'c', image: 'i' }] },
        },
      },
    };
    const created = podForReplicaSet(rs);
    assert.deepEqual(created.metadata, {
      generateName: 'web-5d4f-',
      namespace: 'ns',
      labels: { app: 'web' },
      annotations: { a: 'b' },
      finalizers: ['f'],
      ownerReferences: [
        {
          apiVersion: 'apps.typerator.dev/v1',
          kind: 'ReplicaSet',
          name: 'web-5d4f',
          uid: 'web-5d4f-uid',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
    assert.deepEqual(created.spec, { containers: [{ name: 'c', image: 'i' }] });
  });
  it('drops the dash when the name is too long for it', () => {
    const long = 'a'.repeat(253);
    assert.equal(podForReplicaSet(replicaSet(long, { replicas: 1 })).metadata?.generateName, long);
    assert.equal(
      podForReplicaSet(replicaSet('a'.repeat(252), { replicas: 1 })).metadata?.generateName,
      `${'a'.repeat(252)}-`,
    );
  });
});

describe('calculateReplicaSetStatus', () => {
  const rs = (options: { minReadySeconds?: number; failure?: boolean } = {}): ReplicaSet => {
    const base = replicaSet('rs', { replicas: 4, generation: 7, observedGeneration: 6 });
    return {
      ...base,
      spec: {
        ...base.spec,
        minReadySeconds: options.minReadySeconds ?? 0,
        template: { metadata: { labels: { app: 'web', tier: 'a' } } },
      },
      status: {
        replicas: 0,
        ...(options.failure
          ? {
              conditions: [
                { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'old' },
              ],
            }
          : {}),
      },
    };
  };
  const active = [
    labelled(pod({ name: 'a', readyFor: 100 }), { app: 'web', tier: 'a', extra: 'x' }),
    labelled(pod({ name: 'b', readyFor: 5 }), { app: 'web', tier: 'a' }),
    labelled(pod({ name: 'c' }), { app: 'web' }),
  ];

  it('counts replicas, fully labeled, ready and available (minReadySeconds 30)', () => {
    const status = calculateReplicaSetStatus(rs({ minReadySeconds: 30 }), active, NOW, {
      terminatingPods: [pod({ name: 't', deleting: true })],
    });
    assert.deepEqual(status, {
      replicas: 3,
      fullyLabeledReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 1,
      terminatingReplicas: 1,
      observedGeneration: 7,
    });
  });
  it('a failed create sets ReplicaFailure FailedCreate with the error text', () => {
    const status = calculateReplicaSetStatus(rs(), active, NOW, {
      manageError: 'pods "x" is forbidden: exceeded quota',
    });
    assert.deepEqual(status.conditions, [
      {
        type: 'ReplicaFailure',
        status: 'True',
        reason: 'FailedCreate',
        message: 'pods "x" is forbidden: exceeded quota',
        lastTransitionTime: '2026-01-01T12:00:00Z',
      },
    ]);
  });
  it('a failed delete says FailedDelete', () => {
    const small = { ...rs(), spec: { ...rs().spec, replicas: 1 } };
    assert.equal(
      calculateReplicaSetStatus(small, active, NOW, { manageError: 'boom' }).conditions?.[0]?.reason,
      'FailedDelete',
    );
  });
  it('an existing failure is kept while errors continue and cleared after a clean sync', () => {
    assert.equal(
      calculateReplicaSetStatus(rs({ failure: true }), active, NOW, { manageError: 'new' }).conditions?.[0]
        ?.message,
      'old',
    );
    assert.equal(calculateReplicaSetStatus(rs({ failure: true }), active, NOW).conditions, undefined);
  });
});

describe('replicaSetAvailabilityRequeue', () => {
  const rs = (minReadySeconds: number) => {
    const base = replicaSet('rs', { replicas: 2 });
    return { ...base, spec: { ...base.spec, minReadySeconds } };
  };
  const cases = [
    {
      name: 'all ready, not all available: after minReadySeconds',
      min: 30,
      ready: 2,
      available: 1,
      want: 30_000,
    },
    { name: 'not all ready: pod events will come', min: 30, ready: 1, available: 0, want: undefined },
    { name: 'all available', min: 30, ready: 2, available: 2, want: undefined },
    { name: 'minReadySeconds 0', min: 0, ready: 2, available: 0, want: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(
        replicaSetAvailabilityRequeue(rs(c.min), {
          replicas: 2,
          readyReplicas: c.ready,
          availableReplicas: c.available,
        }),
        c.want,
      );
    });
  }
});
