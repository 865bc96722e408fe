import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import { objectProgress } from '../../../sdk/dev/object-progress.ts';
import { rowLine } from '../../../sdk/dev/live-view.ts';

const deployment = (status: Record<string, unknown> | undefined, generation = 2): KubernetesObject =>
  ({
    apiVersion: 'apps.typerator.dev/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', generation },
    spec: { replicas: 3 },
    ...(status ? { status } : {}),
  }) as KubernetesObject;

const complete = {
  observedGeneration: 2,
  replicas: 3,
  readyReplicas: 3,
  updatedReplicas: 3,
  availableReplicas: 3,
  conditions: [
    { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
    { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
  ],
};

describe('objectProgress', () => {
  const cases: [string, KubernetesObject, boolean, RegExp][] = [
    ['a complete rollout', deployment(complete), true, /^$/],
    ['no status yet', deployment(undefined), false, /a first status/],
    [
      'a status for the previous spec',
      deployment({ ...complete, observedGeneration: 1 }),
      false,
      /latest spec/,
    ],
    ['pods not ready', deployment({ ...complete, readyReplicas: 1 }), false, /2 pods to be ready/],
    ['old pods left', deployment({ ...complete, replicas: 4 }), false, /1 old pods to go/],
    ['pods not updated', deployment({ ...complete, updatedReplicas: 2 }), false, /1 pods to be updated/],
    [
      'progress deadline exceeded',
      deployment({
        ...complete,
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
      }),
      false,
      /Progressing \(ProgressDeadlineExceeded\)/,
    ],
    [
      'a Ready condition that is False, without replicas',
      {
        apiVersion: 'x/v1',
        kind: 'Thing',
        metadata: { name: 't' },
        status: { conditions: [{ type: 'Ready', status: 'False' }] },
      } as KubernetesObject,
      false,
      /Ready/,
    ],
    [
      'an object without spec or status',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
      true,
      /^$/,
    ],
    [
      'a custom resource its operator has not answered',
      {
        apiVersion: 'x/v1',
        kind: 'Widget',
        metadata: { name: 'w', generation: 1 },
        spec: { color: 'red' },
      } as KubernetesObject,
      false,
      /a first status/,
    ],
  ];
  for (const [name, object, ready, waiting] of cases)
    it(name, () => {
      const progress = objectProgress(object);
      assert.equal(progress.ready, ready);
      assert.match(progress.waitingFor, waiting);
    });

  it('lists conditions with the reason of those not True', () => {
    const progress = objectProgress(
      deployment({
        ...complete,
        conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }],
      }),
    );
    assert.deepEqual(progress.conditions, ['Available=False (MinimumReplicasUnavailable)']);
  });
});

describe('rowLine', () => {
  it('shows state, a progress bar, the counts and what the object waits for', () => {
    const line = rowLine({
      label: 'Deployment default/web',
      progress: objectProgress(deployment({ ...complete, readyReplicas: 1, updatedReplicas: 3 })),
    });
    assert.match(line, /^progressing Deployment default\/web/);
    assert.match(line, /████░░░░░░░░ {2}33%/);
    assert.match(line, /1\/3 ready, 3 up to date, 3 available/);
    assert.match(line, /waiting for 2 pods to be ready/);
  });
  it('shows a missing object', () => {
    assert.equal(
      rowLine({ label: 'Deployment default/web', progress: undefined }),
      'missing     Deployment default/web',
    );
  });
});
