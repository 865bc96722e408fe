import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultDeployment,
  defaultReplicaSet,
} from '../../../operators/deployment/webhooks/deployment-defaults.ts';
import { deployment, replicaSet } from './fixtures.ts';

describe('defaultDeployment', () => {
  const cases = [
    {
      name: 'a bare spec gets every apps/v1 default',
      spec: {},
      expected: {
        replicas: 1,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        minReadySeconds: 0,
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
    },
    {
      name: 'set values are kept, and a half-filled rollingUpdate is completed',
      spec: {
        replicas: 0,
        strategy: { rollingUpdate: { maxSurge: 0 } },
        minReadySeconds: 5,
        revisionHistoryLimit: 0,
        progressDeadlineSeconds: 30,
      },
      expected: {
        replicas: 0,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 0 } },
        minReadySeconds: 5,
        revisionHistoryLimit: 0,
        progressDeadlineSeconds: 30,
      },
    },
    {
      name: 'Recreate gets no rollingUpdate block',
      spec: { strategy: { type: 'Recreate' as const } },
      expected: {
        replicas: 1,
        strategy: { type: 'Recreate' },
        minReadySeconds: 0,
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
    },
  ];
  for (const { name, spec, expected } of cases) {
    it(name, () => {
      const { selector: _s, template: _t, ...defaulted } = defaultDeployment(deployment(spec)).spec;
      assert.deepEqual(defaulted, expected);
    });
  }

  it('leaves its input unchanged', () => {
    const input = deployment();
    defaultDeployment(input);
    assert.deepEqual(input, deployment());
  });
});

describe('defaultReplicaSet', () => {
  it('defaults replicas to 1 and keeps a set value', () => {
    assert.equal(defaultReplicaSet(replicaSet()).spec.replicas, 1);
    assert.equal(defaultReplicaSet(replicaSet({ replicas: 0 })).spec.replicas, 0);
  });
});
