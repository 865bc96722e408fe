import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deployment, ReplicaSet } from '../../../operators/deployment/api/types.ts';
import { maxSurge, minAvailable } from '../../../operators/deployment/logic/fenceposts.ts';
import { newReplicaSetFor } from '../../../operators/deployment/logic/new-replica-set.ts';
import {
  cleanupUnhealthyReplicas,
  planRollingStep,
  reconcileNewReplicaSet,
  reconcileOldReplicaSets,
  scaleDownOldReplicaSetsForRollingUpdate,
} from '../../../operators/deployment/logic/rolling.ts';
import type { ScaleAction } from '../../../operators/deployment/logic/scale-action.ts';
import { deployment, replicaSet } from './fixtures.ts';

const summary = (actions: readonly ScaleAction[]) =>
  actions.map((a) => `${a.replicaSet.metadata?.name}:${a.from}->${a.to}`);

describe('reconcileNewReplicaSet', () => {
  const d = deployment({ replicas: 10, maxSurge: 3, maxUnavailable: 2 });
  const cases = [
    { name: 'at replicas: nothing', old: [0], current: 10, want: undefined },
    { name: 'above replicas: down to replicas', old: [0], current: 12, want: 10 },
    { name: 'surge room: up by the room', old: [10], current: 0, want: 3 },
    { name: 'room capped by replicas − new', old: [1], current: 9, want: 10 },
    { name: 'no room: nothing', old: [10], current: 3, want: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const newRS = replicaSet('new', { replicas: c.current });
      const all = [...c.old.map((n, i) => replicaSet(`old-${i}`, { replicas: n })), newRS];
      assert.equal(reconcileNewReplicaSet(d, all, newRS)?.to, c.want);
    });
  }
});

describe('cleanupUnhealthyReplicas', () => {
  it('removes unavailable pods, oldest first, within the budget', () => {
    const old = [
      replicaSet('b', { replicas: 4, available: 1, created: 10 }),
      replicaSet('a', { replicas: 3, available: 1, created: 0 }),
      replicaSet('c', { replicas: 2, available: 2, created: 20 }),
    ];
    const result = cleanupUnhealthyReplicas(old, 3);
    assert.deepEqual(summary(result.actions), ['a:3->1', 'b:4->3']);
    assert.deepEqual(
      result.oldRSs.map((rs) => rs.spec.replicas),
      [1, 3, 2],
    );
  });
});

describe('cleanupUnhealthyReplicas budget', () => {
  // One old RS of 10 with 8 available, as in upstream's table: the budget bounds the cleanup.
  const cases = [
    { budget: 1, want: ['rs:10->9'] },
    { budget: 3, want: ['rs:10->8'] },
    { budget: 0, want: [] },
  ];
  for (const c of cases) {
    it(`budget ${c.budget}`, () => {
      assert.deepEqual(
        summary(
          cleanupUnhealthyReplicas([replicaSet('rs', { replicas: 10, available: 8 })], c.budget).actions,
        ),
        c.want,
      );
    });
  }
  it('an exhausted budget leaves later unhealthy ReplicaSets alone', () => {
    const old = [
      replicaSet('a', { replicas: 3, available: 1, created: 0 }),
      replicaSet('b', { replicas: 4, available: 1, created: 10 }),
    ];
    assert.deepEqual(summary(cleanupUnhealthyReplicas(old, 2).actions), ['a:3->1']);
  });
  it('healthy ReplicaSets are left alone', () => {
    assert.deepEqual(cleanupUnhealthyReplicas([replicaSet('rs', { replicas: 10 })], 3).actions, []);
  });
});

describe('scaleDownOldReplicaSetsForRollingUpdate', () => {
  it('removes available pods above minAvailable, oldest first', () => {
    const d = deployment({ replicas: 10, maxSurge: 3, maxUnavailable: 2 });
    const old = [replicaSet('b', { replicas: 4, created: 10 }), replicaSet('a', { replicas: 3, created: 0 })];
    const newRS = replicaSet('new', { replicas: 6, available: 4 });
    // available 11, minAvailable 8 → 3 to remove.
    assert.deepEqual(summary(scaleDownOldReplicaSetsForRollingUpdate(d, [...old, newRS], old)), ['a:3->0']);
  });
  it('does nothing at or below minAvailable', () => {
    const d = deployment({ replicas: 10, maxSurge: 3, maxUnavailable: 2 });
    const old = [replicaSet('a', { replicas: 8 })];
    assert.deepEqual(
      scaleDownOldReplicaSetsForRollingUpdate(
        d,
        [...old, replicaSet('new', { replicas: 2, available: 0 })],
        old,
      ),
      [],
    );
  });
});

describe('reconcileOldReplicaSets', () => {
  const d = deployment({ replicas: 10, maxSurge: 3, maxUnavailable: 2 });
  const cases = [
    {
      // §2.6: at 13 pods the new RS starts at 0; old ones shrink by up to 5, unavailable pods first.
      name: 'roll-over at 13 pods: the stuck RS is cleaned up first',
      old: [
        replicaSet('v1', { replicas: 8, created: 0 }),
        replicaSet('v2', { replicas: 5, available: 0, created: 10 }),
      ],
      newRS: replicaSet('v3', { replicas: 0, created: 20 }),
      want: ['v2:5->0'],
    },
    {
      name: 'new pods not available yet hold old pods back',
      old: [replicaSet('v1', { replicas: 10 })],
      newRS: replicaSet('v2', { replicas: 3, available: 0 }),
      want: ['v1:10->8'],
    },
    {
      name: 'once new pods are available, old ones go',
      old: [replicaSet('v1', { replicas: 8 })],
      newRS: replicaSet('v2', { replicas: 5, available: 5 }),
      // available 13 − minAvailable 8 = 5, all from v1.
      want: ['v1:8->3'],
    },
    {
      name: 'cleanup then scale-down of one RS merge into one action',
      old: [replicaSet('v1', { replicas: 10, available: 9 })],
      newRS: replicaSet('v2', { replicas: 3, available: 3 }),
      // maxScaledDown 5: cleanup 1 (10→9); available 12 − 8 = 4 more (9→5).
      want: ['v1:10->5'],
    },
    {
      name: 'no budget: nothing',
      old: [replicaSet('v1', { replicas: 8 })],
      newRS: replicaSet('v2', { replicas: 5, available: 0 }),
      want: [],
    },
    {
      name: 'no active old RS: nothing',
      old: [replicaSet('v1', { replicas: 0 })],
      newRS: replicaSet('v2', { replicas: 10 }),
      want: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(summary(reconcileOldReplicaSets(d, c.old, c.newRS)), c.want);
    });
  }
});

/**
 * Runs a rollout to completion with an idealised ReplicaSet controller and kubelet: a scale-down
 * removes unavailable pods first, and new pods become available one sync after they are created.
 * Checks the e2e rolling invariants after every step and returns the sequence of steps taken.
 */
function simulateRollout(d: Deployment, old: ReplicaSet[]): string[] {
  let rss = [...old];
  const created = newReplicaSetFor(d, old);
  rss.push({
    ...created,
    metadata: { ...created.metadata, creationTimestamp: new Date(Date.UTC(2030, 0)) },
    status: { replicas: 0, availableReplicas: 0 },
  });
  const newName = created.metadata?.name;
  const steps: string[] = [];
  const replicas = d.spec.replicas ?? 1;
  for (let sync = 0; sync < 100; sync++) {
    const newRS = rss.find((rs) => rs.metadata?.name === newName);
    assert.ok(newRS);
    const step = planRollingStep(
      d,
      rss.filter((rs) => rs !== newRS),
      newRS,
    );
    const settled = rss.every((rs) => (rs.status?.availableReplicas ?? 0) === (rs.spec.replicas ?? 0));
    if (step.kind === 'idle' && settled) break;
    const actions = step.kind === 'idle' ? [] : step.actions;
    steps.push(...summary(actions));
    rss = rss.map((rs) => {
      const action = actions.find((a) => a.replicaSet === rs);
      if (!action) return rs;
      const available = Math.min(rs.status?.availableReplicas ?? 0, action.to);
      return {
        ...rs,
        spec: { ...rs.spec, replicas: action.to },
        status: { replicas: action.to, availableReplicas: available },
      };
    });
    const specTotal = rss.reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
    const availableTotal = rss.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
    assert.ok(
      specTotal <= replicas + maxSurge(d),
      `Σspec ${specTotal} above replicas + maxSurge after ${steps.join(', ')}`,
    );
    assert.ok(
      availableTotal >= minAvailable(d),
      `available ${availableTotal} below minAvailable after ${steps.join(', ')}`,
    );
    // The kubelet makes every pod available before the next sync.
    rss = rss.map((rs) => ({
      ...rs,
      status: { replicas: rs.spec.replicas ?? 0, availableReplicas: rs.spec.replicas ?? 0 },
    }));
  }
  const final = rss.map(
    (rs) => `${rs.metadata?.name === newName ? 'new' : rs.metadata?.name}=${rs.spec.replicas}`,
  );
  steps.push(`final ${final.join(' ')}`);
  return steps;
}

describe('rollouts (planRollingStep until idle)', () => {
  const rename = (steps: string[]) => steps.map((s) => s.replace(/^web-[a-z0-9]+:/, 'new:'));

  it('20 replicas at 25%/25%: Σspec ≤ 25 and available ≥ 15 throughout (scenario 3)', () => {
    const steps = rename(
      simulateRollout(deployment({ replicas: 20, image: 'nginx:2' }), [replicaSet('v1', { replicas: 20 })]),
    );
    // The new RS is created at 5 (the surge); each later step waits for the previous one's pods.
    assert.deepEqual(steps, [
      'v1:20->15',
      'new:5->10',
      'v1:15->5',
      'new:10->20',
      'v1:5->0',
      'final v1=0 new=20',
    ]);
  });

  it('2 replicas at 0/1: old −1 first, then new +1 (scenario 4)', () => {
    const steps = rename(
      simulateRollout(deployment({ replicas: 2, maxSurge: 0, maxUnavailable: 1, image: 'nginx:2' }), [
        replicaSet('v1', { replicas: 2 }),
      ]),
    );
    assert.deepEqual(steps, ['v1:2->1', 'new:0->1', 'v1:1->0', 'new:1->2', 'final v1=0 new=2']);
  });

  it('1 replica at 25%/25%: new at 1 first, then the old one goes (scenario 4)', () => {
    const d = deployment({ replicas: 1, image: 'nginx:2' });
    const created = newReplicaSetFor(d, [replicaSet('v1', { replicas: 1 })]);
    assert.equal(created.spec.replicas, 1, 'created already at 1 (Σspec 2)');
    const steps = rename(simulateRollout(d, [replicaSet('v1', { replicas: 1 })]));
    assert.deepEqual(steps, ['v1:1->0', 'final v1=0 new=1']);
  });

  it('1 replica at 0%/10% resolves to unavailable 1: old pod removed first (scenario 5)', () => {
    const steps = rename(
      simulateRollout(deployment({ replicas: 1, maxSurge: '0%', maxUnavailable: '10%', image: 'nginx:2' }), [
        replicaSet('v1', { replicas: 1 }),
      ]),
    );
    assert.deepEqual(steps, ['v1:1->0', 'new:0->1', 'final v1=0 new=1']);
  });

  it('roll-over of 10 replicas (surge 3, unavailable 2) from two old ReplicaSets at 13 pods', () => {
    const old = [
      replicaSet('v1', { replicas: 8, created: 0 }),
      replicaSet('v2', { replicas: 5, available: 0, created: 10 }),
    ];
    const steps = rename(
      simulateRollout(deployment({ replicas: 10, maxSurge: 3, maxUnavailable: 2, image: 'nginx:3' }), old),
    );
    assert.equal(steps[0], 'v2:5->0', 'the unavailable pods go first');
    assert.equal(steps[1], 'new:0->5', 'then the new RS grows');
    assert.equal(steps.at(-1), 'final v1=0 v2=0 new=10');
  });
});
