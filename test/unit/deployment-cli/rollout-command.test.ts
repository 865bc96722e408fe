// The pure parts of `typerator rollout` for the Deployment (operators/deployment/cli/deployment-rollout.ts),
// and the SDK's duration and --kind parsing as the Deployment commands use them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  deploymentHistory,
  deploymentRollouts,
  planUndo,
  replicaSetForRevision,
  rolloutStatus,
  type RolloutDeployment,
  type RolloutReplicaSet,
} from '../../../operators/deployment/cli/deployment-rollout.ts';
import { workloads } from '../../../operators/rollout-command.ts';
import { parseDuration } from '../../../sdk/rollout/rollout-arguments.ts';
import { RolloutError, resolveWorkload, resourceName } from '../../../sdk/rollout/index.ts';

const template = (image: string, hash?: string) => ({
  metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) } },
  spec: { containers: [{ name: 'c', image }] },
});

function deployment(
  status: RolloutDeployment['status'],
  extra: { generation?: number; replicas?: number; paused?: boolean; image?: string } = {},
): RolloutDeployment {
  return {
    metadata: {
      name: 'web',
      generation: extra.generation ?? 1,
      annotations: {
        'deployment.kubernetes.io/revision': '2',
        'kubectl.kubernetes.io/last-applied-configuration': '{}',
      },
    },
    spec: {
      replicas: extra.replicas ?? 3,
      paused: extra.paused ?? false,
      template: template(extra.image ?? 'v2'),
    },
    ...(status ? { status } : {}),
  };
}

function replicaSet(name: string, revision: string | undefined, image: string): RolloutReplicaSet {
  return {
    metadata: {
      name,
      annotations: {
        ...(revision !== undefined ? { 'deployment.kubernetes.io/revision': revision } : {}),
        'kubernetes.io/change-cause': `image ${image}`,
      },
    },
    spec: { template: template(image, `h-${name}`) },
  };
}

describe('rolloutStatus', () => {
  const cases: [string, RolloutDeployment, string, boolean][] = [
    [
      'spec not observed yet',
      deployment({ observedGeneration: 0 }),
      'Waiting for deployment spec update to be observed...',
      false,
    ],
    [
      'too few updated replicas',
      deployment({ observedGeneration: 1, replicas: 3, updatedReplicas: 1 }),
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
      false,
    ],
    [
      'old replicas still running',
      deployment({ observedGeneration: 1, replicas: 4, updatedReplicas: 3 }),
      'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
      false,
    ],
    [
      'updated replicas not available yet',
      deployment({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 2 }),
      'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...',
      false,
    ],
    [
      'complete',
      deployment({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }),
      'deployment "web" successfully rolled out',
      true,
    ],
  ];
  for (const [name, d, message, done] of cases) {
    it(name, () => {
      assert.deepEqual(rolloutStatus(d), { message, done });
    });
  }

  it('fails on ProgressDeadlineExceeded and on a revision that is not the running one', () => {
    const timedOut = deployment({
      observedGeneration: 1,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
    });
    assert.throws(
      () => rolloutStatus(timedOut),
      new RolloutError('deployment "web" exceeded its progress deadline'),
    );
    assert.throws(
      () => rolloutStatus(deployment({ observedGeneration: 1 }), 5n),
      /desired revision \(5\) is different from the running revision \(2\)/,
    );
  });
});

describe('replicaSetForRevision', () => {
  const owned = [
    replicaSet('a', '1', 'v1'),
    replicaSet('b', '3', 'v3'),
    replicaSet('c', '2', 'v2'),
    replicaSet('bad', 'x', 'v0'),
  ];
  it('picks the exact revision, or the second-highest for 0, skipping malformed ones', () => {
    assert.equal(replicaSetForRevision('web', owned, 1n).replicaSet.metadata?.name, 'a');
    assert.deepEqual(
      {
        name: replicaSetForRevision('web', owned, 0n).replicaSet.metadata?.name,
        revision: replicaSetForRevision('web', owned, 0n).revision,
      },
      { name: 'c', revision: 2n },
    );
  });
  it('counts a ReplicaSet without the annotation as revision 0', () => {
    assert.equal(
      replicaSetForRevision('web', [replicaSet('old', undefined, 'v0'), replicaSet('new', '1', 'v1')], 0n)
        .replicaSet.metadata?.name,
      'old',
    );
  });
  it('explains a missing revision and a missing history', () => {
    assert.throws(
      () => replicaSetForRevision('web', owned, 7n),
      new RolloutError('unable to find specified revision 7 in history'),
    );
    assert.throws(
      () => replicaSetForRevision('web', owned, -1n),
      /unable to find specified revision -1 in history/,
    );
    assert.throws(
      () => replicaSetForRevision('web', [replicaSet('only', '1', 'v1')], 0n),
      new RolloutError('no rollout history found for deployment "web"'),
    );
  });
});

describe('planUndo', () => {
  const owned = [replicaSet('a', '1', 'v1'), replicaSet('b', '2', 'v2')];
  it('patches the previous template back without its hash label, with its annotations and our skip-list ones', () => {
    const plan = planUndo(deployment(undefined), owned, 0n);
    assert.deepEqual(plan, {
      kind: 'patch',
      revision: 1n,
      patch: [
        { op: 'replace', path: '/spec/template', value: template('v1') },
        {
          op: 'add',
          path: '/metadata/annotations',
          value: {
            'deployment.kubernetes.io/revision': '2',
            'kubectl.kubernetes.io/last-applied-configuration': '{}',
            'kubernetes.io/change-cause': 'image v1',
          },
        },
      ],
    });
  });
  it('skips when the template already matches', () => {
    assert.deepEqual(planUndo(deployment(undefined), owned, 2n), { kind: 'skip', revision: 2n });
  });
  it('refuses a paused Deployment with kubectl’s message', () => {
    assert.throws(
      () => planUndo(deployment(undefined, { paused: true }), owned, 0n),
      new RolloutError(
        "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
      ),
    );
  });
});

describe('parseDuration and --kind', () => {
  it('reads kubectl-style durations', () => {
    assert.equal(parseDuration('0'), 0);
    assert.equal(parseDuration('90'), 90_000);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.throws(() => parseDuration('5 minutes'), /invalid duration "5 minutes"/);
    assert.throws(() => parseDuration('m'), /invalid duration/);
  });
  it('maps --kind to our group or the built-in one', () => {
    const ours = resolveWorkload(workloads, 'deployment');
    assert.deepEqual([ours.kind.group, ours.kind.kind], ['apps.typerator.dev', 'Deployment']);
    assert.equal(ours, deploymentRollouts[0]);
    for (const name of ['deployments', 'tdeploy', 'Deployment', 'deployment.apps.typerator.dev'])
      assert.equal(resolveWorkload(workloads, name), ours, name);
    assert.equal(resolveWorkload(workloads, 'deployment.apps').kind.group, 'apps');
    assert.equal(resourceName(ours.kind), 'deployment.apps.typerator.dev');
    assert.equal(resourceName(resolveWorkload(workloads, 'deployment.apps').kind), 'deployment.apps');
    assert.throws(() => resolveWorkload(workloads, 'daemonset'), /unsupported kind "daemonset"/);
  });
});

describe('deploymentHistory', () => {
  it('lists one revision per ReplicaSet with its change-cause, skipping malformed revisions', () => {
    const noCause: RolloutReplicaSet = { metadata: { name: 'x' }, spec: { template: template('v0') } };
    assert.deepEqual(
      deploymentHistory([replicaSet('a', '1', 'v1'), replicaSet('bad', 'x', 'v0'), noCause]).map((r) => ({
        revision: r.revision,
        changeCause: r.changeCause,
        image: r.template.spec?.containers[0]?.image,
      })),
      [
        { revision: 1n, changeCause: 'image v1', image: 'v1' },
        { revision: 0n, changeCause: undefined, image: 'v0' },
      ],
    );
  });
});
