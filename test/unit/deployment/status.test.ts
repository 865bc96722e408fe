import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeploymentCondition } from '../../../operators/deployment/api/types.ts';
import {
  deploymentCondition,
  findDeploymentCondition,
  foundNewReplicaSetCondition,
  newReplicaSetCreatedCondition,
  replicaSetCreateErrorCondition,
  setDeploymentCondition,
} from '../../../operators/deployment/logic/conditions.ts';
import {
  calculateStatus,
  deploymentComplete,
  deploymentTimedOut,
  pausedConditions,
  progressCheckDelay,
  syncDeploymentStatus,
  syncRolloutStatus,
} from '../../../operators/deployment/logic/status.ts';
import { NOW, at, deployment, replicaSet } from './fixtures.ts';

const counts = (s: {
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
}) => [s.replicas, s.updatedReplicas, s.readyReplicas, s.availableReplicas, s.unavailableReplicas];
const progressing = (c: Partial<DeploymentCondition>): DeploymentCondition => ({
  type: 'Progressing',
  status: 'True',
  lastUpdateTime: at(-100),
  lastTransitionTime: at(-1000),
  ...c,
});
const progressingOf = (conditions: readonly DeploymentCondition[] | undefined) =>
  findDeploymentCondition(conditions, 'Progressing');

describe('setDeploymentCondition', () => {
  const existing = progressing({ reason: 'ReplicaSetUpdated', message: 'old' });
  it('same status and reason: nothing changes, not even message or lastUpdateTime', () => {
    const next = setDeploymentCondition(
      [existing],
      deploymentCondition('Progressing', 'True', 'ReplicaSetUpdated', 'new', NOW),
    );
    assert.deepEqual(next, [existing]);
  });
  it('same status, new reason: replaced, lastTransitionTime kept', () => {
    const [next] = setDeploymentCondition(
      [existing],
      deploymentCondition('Progressing', 'True', 'NewReplicaSetAvailable', 'done', NOW),
    );
    assert.equal(next?.reason, 'NewReplicaSetAvailable');
    assert.equal(next?.lastTransitionTime, at(-1000));
    assert.equal(next?.lastUpdateTime, new Date(NOW).toISOString().replace('.000', ''));
  });
  it('new status: replaced with both times now', () => {
    const [next] = setDeploymentCondition(
      [existing],
      deploymentCondition('Progressing', 'False', 'ProgressDeadlineExceeded', 'x', NOW),
    );
    assert.equal(next?.lastTransitionTime, '2026-01-01T12:00:00Z');
  });
  it('other types are kept; the replaced one moves to the end', () => {
    const available = deploymentCondition('Available', 'True', 'MinimumReplicasAvailable', 'm', NOW - 5000);
    const next = setDeploymentCondition(
      [existing, available],
      deploymentCondition('Progressing', 'False', 'ProgressDeadlineExceeded', 'x', NOW),
    );
    assert.deepEqual(
      next.map((c) => c.type),
      ['Available', 'Progressing'],
    );
  });
  it('builders for the create paths use the upstream reasons and messages', () => {
    assert.deepEqual(
      [
        newReplicaSetCreatedCondition('web-1', NOW),
        foundNewReplicaSetCondition('web-1', NOW),
        replicaSetCreateErrorCondition('web-1', 'quota', NOW),
      ].map((c) => [c.status, c.reason, c.message]),
      [
        ['True', 'NewReplicaSetCreated', 'Created new replica set "web-1"'],
        ['True', 'FoundNewReplicaSet', 'Found new replica set "web-1"'],
        ['False', 'ReplicaSetCreateError', 'Failed to create new replica set "web-1": quota'],
      ],
    );
  });
});

describe('calculateStatus', () => {
  it('scenario 1: 20/20/20/20/0 and Available True MinimumReplicasAvailable', () => {
    const newRS = replicaSet('new', { replicas: 20, image: 'nginx:1' });
    const status = calculateStatus(deployment({ replicas: 20, generation: 3 }), [newRS], newRS, NOW);
    assert.deepEqual(counts(status), [20, 20, 20, 20, 0]);
    assert.equal(status.observedGeneration, 3);
    const available = findDeploymentCondition(status.conditions, 'Available');
    assert.deepEqual(
      [available?.status, available?.reason, available?.message],
      ['True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
    );
  });

  const scenario15 = [
    { name: 'pods unready', ready: 0, available: 0, want: [10, 10, 0, 0, 10], availableStatus: 'False' },
    {
      name: 'pods ready, minReadySeconds 3600 not over',
      ready: 10,
      available: 0,
      want: [10, 10, 10, 0, 10],
      availableStatus: 'False',
    },
    {
      name: 'minReadySeconds lowered to 1',
      ready: 10,
      available: 10,
      want: [10, 10, 10, 10, 0],
      availableStatus: 'True',
    },
  ];
  for (const c of scenario15) {
    it(`scenario 15, ${c.name}: ${c.want.join('/')}, Available ${c.availableStatus}`, () => {
      const newRS = replicaSet('new', { replicas: 10, ready: c.ready, available: c.available });
      const status = calculateStatus(deployment({ replicas: 10 }), [newRS], newRS, NOW);
      assert.deepEqual(counts(status), c.want);
      const available = findDeploymentCondition(status.conditions, 'Available');
      assert.equal(available?.status, c.availableStatus);
      assert.equal(
        available?.reason,
        c.availableStatus === 'True' ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
      );
    });
  }

  it('sums over old and new; unavailable counts spec, floored at 0; collisionCount carried', () => {
    const old = replicaSet('old', { replicas: 2, statusReplicas: 5, available: 5 });
    const newRS = replicaSet('new', { replicas: 3, statusReplicas: 2, available: 1, ready: 2 });
    const status = calculateStatus(
      deployment({ replicas: 4, status: { collisionCount: 2 } }),
      [old, newRS],
      newRS,
      NOW,
    );
    assert.deepEqual(counts(status), [7, 2, 7, 6, 0]);
    assert.equal(status.collisionCount, 2);
  });

  it('Available with RollingUpdate needs replicas − maxUnavailable; Recreate needs all', () => {
    const newRS = replicaSet('new', { replicas: 10, available: 8 });
    const availableOf = (d: ReturnType<typeof deployment>) =>
      findDeploymentCondition(calculateStatus(d, [newRS], newRS, NOW).conditions, 'Available')?.status;
    assert.equal(availableOf(deployment({ replicas: 10 })), 'True');
    assert.equal(availableOf(deployment({ replicas: 10, strategy: 'Recreate' })), 'False');
  });

  it('terminatingReplicas is summed only when every ReplicaSet reports it', () => {
    const a = replicaSet('a', { replicas: 1, status: { terminatingReplicas: 2 } });
    const b = replicaSet('b', { replicas: 1, status: { terminatingReplicas: 1 } });
    assert.equal(calculateStatus(deployment(), [a, b], b, NOW).terminatingReplicas, 3);
    assert.equal(
      calculateStatus(deployment(), [a, replicaSet('c', { replicas: 1 })], a, NOW).terminatingReplicas,
      undefined,
    );
  });
});

describe('deploymentComplete / deploymentTimedOut', () => {
  const d = deployment({ replicas: 3, generation: 2, progressDeadlineSeconds: 60 });
  it('complete needs updated = replicas = available = spec and the generation observed', () => {
    assert.equal(
      deploymentComplete(d, { replicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 2 }),
      true,
    );
    assert.equal(
      deploymentComplete(d, { replicas: 4, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 2 }),
      false,
    );
    assert.equal(
      deploymentComplete(d, { replicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 1 }),
      false,
    );
  });
  const cases = [
    {
      name: 'last update + deadline before now',
      c: progressing({ reason: 'ReplicaSetUpdated', lastUpdateTime: at(-61) }),
      want: true,
    },
    {
      name: 'exactly at the deadline: not yet',
      c: progressing({ reason: 'ReplicaSetUpdated', lastUpdateTime: at(-60) }),
      want: false,
    },
    {
      name: 'already reported',
      c: progressing({ reason: 'ProgressDeadlineExceeded', status: 'False', lastUpdateTime: at(0) }),
      want: true,
    },
    {
      name: 'after a complete rollout: never',
      c: progressing({ reason: 'NewReplicaSetAvailable', lastUpdateTime: at(-1000) }),
      want: false,
    },
  ];
  for (const c of cases) {
    it(`timed out: ${c.name}`, () => {
      assert.equal(deploymentTimedOut(d, { conditions: [c.c] }, NOW), c.want);
    });
  }
  it('no deadline (MaxInt32) never times out', () => {
    const noDeadline = deployment({ progressDeadlineSeconds: 2147483647 });
    assert.equal(
      deploymentTimedOut(
        noDeadline,
        { conditions: [progressing({ reason: 'ReplicaSetUpdated', lastUpdateTime: at(-1e6) })] },
        NOW,
      ),
      false,
    );
  });
});

describe('syncRolloutStatus', () => {
  const newRS = (available: number, replicas = 3) =>
    replicaSet('web-abc', { replicas, available, ready: available });

  it('complete: Progressing True NewReplicaSetAvailable with the ReplicaSet message', () => {
    const d = deployment({
      replicas: 3,
      status: {
        replicas: 3,
        updatedReplicas: 3,
        availableReplicas: 2,
        conditions: [progressing({ reason: 'ReplicaSetUpdated' })],
      },
    });
    const update = syncRolloutStatus(d, [newRS(3)], newRS(3), NOW);
    const c = progressingOf(update.status.conditions);
    assert.equal(update.changed, true);
    assert.deepEqual(
      [c?.status, c?.reason, c?.message],
      ['True', 'NewReplicaSetAvailable', 'ReplicaSet "web-abc" has successfully progressed.'],
    );
    assert.equal(c?.lastTransitionTime, at(-1000));
  });

  it('progress: ReplicaSetUpdated rewritten with lastUpdateTime now, lastTransitionTime kept', () => {
    const d = deployment({
      replicas: 3,
      status: {
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 1,
        availableReplicas: 1,
        conditions: [progressing({ reason: 'ReplicaSetUpdated' })],
      },
    });
    const c = progressingOf(syncRolloutStatus(d, [newRS(2)], newRS(2), NOW).status.conditions);
    assert.deepEqual([c?.reason, c?.message], ['ReplicaSetUpdated', 'ReplicaSet "web-abc" is progressing.']);
    assert.equal(c?.lastUpdateTime, '2026-01-01T12:00:00Z');
    assert.equal(c?.lastTransitionTime, at(-1000));
  });

  it('progress after a timeout flips back to True with a new lastTransitionTime', () => {
    const timedOut = progressing({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    const d = deployment({
      replicas: 3,
      status: {
        replicas: 3,
        updatedReplicas: 3,
        availableReplicas: 1,
        readyReplicas: 1,
        conditions: [timedOut],
      },
    });
    const c = progressingOf(syncRolloutStatus(d, [newRS(2)], newRS(2), NOW).status.conditions);
    assert.deepEqual(
      [c?.status, c?.reason, c?.lastTransitionTime],
      ['True', 'ReplicaSetUpdated', '2026-01-01T12:00:00Z'],
    );
  });

  it('no progress past the deadline: False ProgressDeadlineExceeded (scenario 14)', () => {
    const d = deployment({
      replicas: 3,
      progressDeadlineSeconds: 3,
      status: {
        replicas: 3,
        updatedReplicas: 3,
        conditions: [progressing({ reason: 'NewReplicaSetCreated', lastUpdateTime: at(-4) })],
      },
    });
    const c = progressingOf(syncRolloutStatus(d, [newRS(0)], newRS(0), NOW).status.conditions);
    assert.deepEqual(
      [c?.status, c?.reason, c?.message],
      ['False', 'ProgressDeadlineExceeded', 'ReplicaSet "web-abc" has timed out progressing.'],
    );
  });

  it('no progress before the deadline: unchanged, requeue at lastUpdateTime + deadline + 1 s', () => {
    const d = deployment({
      replicas: 3,
      progressDeadlineSeconds: 600,
      status: {
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 0,
        availableReplicas: 0,
        unavailableReplicas: 3,
        observedGeneration: 1,
        conditions: [],
      },
    });
    const first = syncRolloutStatus(d, [newRS(0)], newRS(0), NOW);
    const settled = {
      ...d,
      status: {
        ...first.status,
        conditions: [
          ...(first.status.conditions ?? []),
          progressing({ reason: 'ReplicaSetUpdated', lastUpdateTime: at(-100) }),
        ],
      },
    };
    const update = syncRolloutStatus(settled, [newRS(0)], newRS(0), NOW);
    assert.equal(update.changed, false);
    assert.equal(update.requeueAfterMs, 501_000);
  });

  it('a completed rollout is not re-evaluated: pods dying later do not flip Progressing', () => {
    const done = progressing({ reason: 'NewReplicaSetAvailable', lastUpdateTime: at(-10_000) });
    const d = deployment({
      replicas: 3,
      status: { replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: [done] },
    });
    const c = progressingOf(syncRolloutStatus(d, [newRS(1)], newRS(1), NOW).status.conditions);
    assert.deepEqual(c, done);
  });

  it('a completed rollout is not re-evaluated: pods recovering later do not report progress either', () => {
    const done = progressing({ reason: 'NewReplicaSetAvailable', lastUpdateTime: at(-10_000) });
    const d = deployment({
      replicas: 3,
      status: { replicas: 3, updatedReplicas: 3, readyReplicas: 1, availableReplicas: 1, conditions: [done] },
    });
    const c = progressingOf(syncRolloutStatus(d, [newRS(2)], newRS(2), NOW).status.conditions);
    assert.deepEqual(c, done);
  });

  it('without a deadline the Progressing condition is removed', () => {
    const d = deployment({
      replicas: 3,
      progressDeadlineSeconds: 2147483647,
      status: { conditions: [progressing({ reason: 'ReplicaSetUpdated' })] },
    });
    assert.equal(progressingOf(syncRolloutStatus(d, [newRS(3)], newRS(3), NOW).status.conditions), undefined);
  });

  it('ReplicaFailure is copied from the new RS first, and removed when no RS has one', () => {
    const failure = (message: string) => ({
      type: 'ReplicaFailure',
      status: 'True' as const,
      reason: 'FailedCreate',
      message,
      lastTransitionTime: at(-5),
    });
    const old = replicaSet('old', { replicas: 1, status: { conditions: [failure('old quota')] } });
    const failing = replicaSet('web-abc', {
      replicas: 3,
      available: 0,
      status: { conditions: [failure('new quota')] },
    });
    const copied = findDeploymentCondition(
      syncRolloutStatus(deployment({ replicas: 3 }), [old, failing], failing, NOW).status.conditions,
      'ReplicaFailure',
    );
    assert.deepEqual(copied, {
      type: 'ReplicaFailure',
      status: 'True',
      reason: 'FailedCreate',
      message: 'new quota',
      lastUpdateTime: at(-5),
      lastTransitionTime: at(-5),
    });
    const fromOld = findDeploymentCondition(
      syncRolloutStatus(deployment({ replicas: 3 }), [old, newRS(0)], newRS(0), NOW).status.conditions,
      'ReplicaFailure',
    );
    assert.equal(fromOld?.message, 'old quota');
    const cleared = syncRolloutStatus(
      deployment({
        replicas: 3,
        status: { conditions: [{ ...copied, type: 'ReplicaFailure', status: 'True' }] },
      }),
      [newRS(3)],
      newRS(3),
      NOW,
    );
    assert.equal(findDeploymentCondition(cleared.status.conditions, 'ReplicaFailure'), undefined);
  });
});

describe('syncDeploymentStatus', () => {
  it('recomputes counts and Available but leaves Progressing alone', () => {
    const stale = progressing({ reason: 'ReplicaSetUpdated', lastUpdateTime: at(-10_000) });
    const d = deployment({ replicas: 3, status: { conditions: [stale] } });
    const rs = replicaSet('web-abc', { replicas: 3 });
    const update = syncDeploymentStatus(d, [rs], rs, NOW);
    assert.equal(update.changed, true);
    assert.deepEqual(progressingOf(update.status.conditions), stale);
    assert.equal(syncDeploymentStatus({ ...d, status: update.status }, [rs], rs, NOW + 5000).changed, false);
  });
});

describe('progressCheckDelay', () => {
  const d = (c: DeploymentCondition) =>
    deployment({ replicas: 3, progressDeadlineSeconds: 600, status: { conditions: [c] } });
  const notDone = { replicas: 3, updatedReplicas: 3, availableReplicas: 0 };
  const cases = [
    {
      name: 'remaining time + 1 s',
      c: progressing({ reason: 'ReplicaSetUpdated', lastUpdateTime: at(-100) }),
      status: notDone,
      want: 501_000,
    },
    {
      name: 'under a second left: now',
      c: progressing({ reason: 'ReplicaSetUpdated', lastUpdateTime: at(-599.5) }),
      status: notDone,
      want: 0,
    },
    {
      name: 'already timed out: none',
      c: progressing({ status: 'False', reason: 'ProgressDeadlineExceeded' }),
      status: notDone,
      want: undefined,
    },
    {
      name: 'complete: none',
      c: progressing({ reason: 'ReplicaSetUpdated' }),
      status: { ...notDone, availableReplicas: 3, observedGeneration: 1 },
      want: undefined,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(progressCheckDelay(d(c.c), c.status, NOW), c.want);
    });
  }
});

describe('pausedConditions', () => {
  const cases = [
    {
      name: 'paused: Unknown DeploymentPaused',
      paused: true,
      current: undefined,
      want: ['Unknown', 'DeploymentPaused', 'Deployment is paused'],
    },
    {
      name: 'already reported paused: no change',
      paused: true,
      current: progressing({ status: 'Unknown', reason: 'DeploymentPaused' }),
      want: undefined,
    },
    {
      name: 'resumed: Unknown DeploymentResumed',
      paused: false,
      current: progressing({ status: 'Unknown', reason: 'DeploymentPaused' }),
      want: ['Unknown', 'DeploymentResumed', 'Deployment is resumed'],
    },
    {
      name: 'running and not paused: no change',
      paused: false,
      current: progressing({ reason: 'ReplicaSetUpdated' }),
      want: undefined,
    },
    {
      name: 'a reported timeout is never overwritten',
      paused: true,
      current: progressing({ status: 'False', reason: 'ProgressDeadlineExceeded' }),
      want: undefined,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = deployment({ paused: c.paused, status: { conditions: c.current ? [c.current] : [] } });
      const conditions = pausedConditions(d, NOW);
      const p = conditions === undefined ? undefined : progressingOf(conditions);
      assert.deepEqual(p === undefined ? undefined : [p.status, p.reason, p.message], c.want);
      if (p) assert.equal(p.lastUpdateTime, '2026-01-01T12:00:00Z', 'restarts the deadline clock');
    });
  }
  it('does nothing without a deadline', () => {
    assert.equal(
      pausedConditions(deployment({ paused: true, progressDeadlineSeconds: 2147483647 }), NOW),
      undefined,
    );
  });
});
