import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReplicaSet } from '../../../operators/deployment/api/types.ts';
import { planRollback } from '../../../operators/deployment/logic/rollback.ts';
import { deployment, replicaSet, template } from './fixtures.ts';

const ROLLBACK = 'deprecated.deployment.rollback.to';
const hashed = (rs: ReplicaSet): ReplicaSet => ({
  ...rs,
  spec: {
    ...rs.spec,
    template: { ...template('nginx:1'), metadata: { labels: { app: 'web', 'pod-template-hash': 'h1' } } },
  },
});

describe('planRollback', () => {
  const v1 = hashed(
    replicaSet('v1', {
      replicas: 0,
      revision: '1',
      annotations: { 'kubernetes.io/change-cause': 'v1', 'deployment.kubernetes.io/desired-replicas': '9' },
    }),
  );
  const v2 = replicaSet('v2', { replicas: 3, revision: '2', image: 'nginx:2' });

  it('revision 0 rolls back to the previous revision: template without hash, annotations from the RS', () => {
    const d = deployment({
      image: 'nginx:2',
      annotations: {
        [ROLLBACK]: '0',
        'deployment.kubernetes.io/revision': '2',
        'kubernetes.io/change-cause': 'v2',
      },
    });
    const plan = planRollback(d, [v1, v2]);
    assert.equal(plan?.rolledBack, true);
    assert.deepEqual(plan?.deployment.spec.template, template('nginx:1'));
    assert.deepEqual(plan?.deployment.metadata?.annotations, {
      'deployment.kubernetes.io/revision': '2',
      'kubernetes.io/change-cause': 'v1',
    });
    assert.deepEqual(plan?.event, {
      type: 'Normal',
      reason: 'DeploymentRollback',
      message: 'Rolled back deployment "web" to revision 1',
    });
  });

  it('an explicit revision is looked up', () => {
    assert.equal(
      planRollback(deployment({ image: 'nginx:2', annotations: { [ROLLBACK]: '1' } }), [v1, v2])?.rolledBack,
      true,
    );
  });

  const noOps = [
    {
      name: 'only one revision: not found',
      annotations: { [ROLLBACK]: '0' },
      rss: [v2],
      reason: 'DeploymentRollbackRevisionNotFound',
      message: 'Unable to find last revision.',
    },
    {
      name: 'unknown revision: not found',
      annotations: { [ROLLBACK]: '7' },
      rss: [v1, v2],
      reason: 'DeploymentRollbackRevisionNotFound',
      message: 'Unable to find the revision to rollback to.',
    },
    {
      name: 'same template: unchanged',
      annotations: { [ROLLBACK]: '2' },
      rss: [v1, v2],
      reason: 'DeploymentRollbackTemplateUnchanged',
      message: 'The rollback revision contains the same template as current deployment "web"',
    },
  ];
  for (const c of noOps) {
    it(`${c.name}: only the annotation is cleared`, () => {
      const d = deployment({ image: 'nginx:2', annotations: { ...c.annotations, keep: 'me' } });
      const plan = planRollback(d, c.rss);
      assert.equal(plan?.rolledBack, false);
      assert.deepEqual(plan?.event, { type: 'Warning', reason: c.reason, message: c.message });
      assert.deepEqual(plan?.deployment.metadata?.annotations, { keep: 'me' });
      assert.deepEqual(plan?.deployment.spec, d.spec);
    });
  }

  it('no request or a malformed one: nothing to do', () => {
    assert.equal(planRollback(deployment(), [v1, v2]), undefined);
    assert.equal(planRollback(deployment({ annotations: { [ROLLBACK]: 'x' } }), [v1, v2]), undefined);
  });
});
