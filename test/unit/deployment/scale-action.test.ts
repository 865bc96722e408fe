import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  scaleAction,
  scaledReplicaSet,
  scalingEventMessage,
} from '../../../operators/deployment/logic/scale-action.ts';
import { deployment, replicaSet } from './fixtures.ts';

describe('scaledReplicaSet', () => {
  const d = deployment({ replicas: 10, maxSurge: 3, maxUnavailable: 2 });
  const current = {
    'deployment.kubernetes.io/desired-replicas': '10',
    'deployment.kubernetes.io/max-replicas': '13',
  };

  it('sets the size and the replica annotations, keeping other annotations', () => {
    const rs = replicaSet('rs', { replicas: 4, annotations: { keep: 'x' } });
    const written = scaledReplicaSet(d, rs, 6);
    assert.equal(written?.spec.replicas, 6);
    assert.deepEqual(written?.metadata?.annotations, { keep: 'x', ...current });
    assert.equal(rs.spec.replicas, 4, 'the observed object is not mutated');
  });
  it('writes stale annotations even at the same size', () => {
    const rs = replicaSet('rs', {
      replicas: 4,
      annotations: { ...current, 'deployment.kubernetes.io/max-replicas': '12' },
    });
    assert.equal(
      scaledReplicaSet(d, rs, 4)?.metadata?.annotations?.['deployment.kubernetes.io/max-replicas'],
      '13',
    );
  });
  it('is undefined when size and annotations are already right', () => {
    assert.equal(scaledReplicaSet(d, replicaSet('rs', { replicas: 4, annotations: current }), 4), undefined);
  });
});

describe('scalingEventMessage', () => {
  const cases = [
    { from: 0, to: 5, want: 'Scaled up replica set rs from 0 to 5' },
    { from: 5, to: 2, want: 'Scaled down replica set rs from 5 to 2' },
    { from: 3, to: 3, want: undefined },
  ];
  for (const c of cases) {
    it(`${c.from} → ${c.to}`, () => {
      assert.equal(scalingEventMessage(scaleAction(replicaSet('rs', { replicas: c.from }), c.to)), c.want);
    });
  }
});
