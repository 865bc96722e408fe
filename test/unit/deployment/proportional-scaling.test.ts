import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReplicaSet } from '../../../operators/deployment/api/types.ts';
import {
  planScale,
  replicaSetFraction,
  roundHalfAwayFromZero,
} from '../../../operators/deployment/logic/proportional-scaling.ts';
import type { ScaleAction } from '../../../operators/deployment/logic/scale-action.ts';
import { deployment, replicaSet } from './fixtures.ts';

const summary = (actions: readonly ScaleAction[]) =>
  actions.map((a) => `${a.replicaSet.metadata?.name}:${a.from}->${a.to}`);
const max = (n: number) => ({ 'deployment.kubernetes.io/max-replicas': String(n) });
const sized = (name: string, replicas: number, maxReplicas: number | undefined, created = 0): ReplicaSet =>
  replicaSet(name, {
    replicas,
    created,
    ...(maxReplicas === undefined ? {} : { annotations: max(maxReplicas) }),
  });

describe('roundHalfAwayFromZero', () => {
  const cases = [
    [2.5, 3],
    [-2.5, -3],
    [2.49, 2],
    [-2.49, -2],
    [20.31, 20],
    [12.69, 13],
    [0, 0],
  ] as const;
  for (const [value, want] of cases) {
    it(`${value} → ${want}`, () => {
      assert.equal(roundHalfAwayFromZero(value), want);
    });
  }
});

describe('planScale', () => {
  const cases = [
    {
      name: 'e2e: RSs 8 and 5 (max-replicas 13), 10 → 30 with surge 3 → 20 and 13',
      d: deployment({ replicas: 30, maxSurge: 3, maxUnavailable: 2 }),
      newRS: sized('new', 5, 13, 10),
      old: [sized('old', 8, 13, 0)],
      want: ['old:8->20', 'new:5->13'],
    },
    {
      name: 'scale down 30 → 10 from 20 and 13 (max-replicas 33): 8 and 5',
      d: deployment({ replicas: 10, maxSurge: 3, maxUnavailable: 2 }),
      newRS: sized('new', 13, 33, 10),
      old: [sized('old', 20, 33, 0)],
      want: ['old:20->8', 'new:13->5'],
    },
    {
      name: 'scale to 0 removes every active RS whole',
      d: deployment({ replicas: 0 }),
      newRS: sized('new', 3, 13, 10),
      old: [sized('old', 8, 13, 0)],
      want: ['old:8->0', 'new:3->0'],
    },
    {
      name: 'adding with equal sizes: the leftover goes to the newest',
      d: deployment({ replicas: 4, maxSurge: 0, maxUnavailable: 1 }),
      newRS: sized('c', 1, 3, 20),
      old: [sized('a', 1, 3, 0), sized('b', 1, 3, 10)],
      want: ['c:1->2', 'b:1->1', 'a:1->1'],
    },
    {
      name: 'removing with equal sizes: the leftover comes from the oldest',
      d: deployment({ replicas: 2, maxSurge: 0, maxUnavailable: 1 }),
      newRS: sized('c', 1, 3, 20),
      old: [sized('a', 1, 3, 0), sized('b', 1, 3, 10)],
      want: ['a:1->0', 'b:1->1', 'c:1->1'],
    },
    {
      name: 'halves round away from zero; the bound keeps the total exact',
      d: deployment({ replicas: 5, maxSurge: 0, maxUnavailable: 1 }),
      newRS: sized('new', 5, 10, 10),
      old: [sized('old', 5, 10, 0)],
      // 2.5 → 3 for each, which would leave 6: the leftover −1 comes off the first (older) one.
      want: ['old:5->2', 'new:5->3'],
    },
    {
      name: 'without max-replicas the Deployment status.replicas is the base',
      d: deployment({ replicas: 20, maxSurge: 0, maxUnavailable: 1, status: { replicas: 10 } }),
      newRS: sized('new', 4, undefined, 10),
      old: [sized('old', 6, undefined, 0)],
      want: ['old:6->12', 'new:4->8'],
    },
    {
      name: 'a single active RS takes all replicas',
      d: deployment({ replicas: 10 }),
      newRS: sized('new', 4, 5, 10),
      old: [sized('old', 0, 5, 0)],
      want: ['new:4->10'],
    },
    {
      name: 'paused with a changed template: the old RS absorbs the scale (no new RS)',
      d: deployment({ replicas: 10, paused: true }),
      newRS: undefined,
      old: [sized('old', 1, 2, 0)],
      want: ['old:1->10'],
    },
    {
      name: 'no active RS: the newest old one is scaled when there is no new RS',
      d: deployment({ replicas: 3 }),
      newRS: undefined,
      old: [sized('older', 0, 2, 0), sized('newer', 0, 2, 10)],
      want: ['newer:0->3'],
    },
    {
      name: 'single active RS already at size: nothing',
      d: deployment({ replicas: 10 }),
      newRS: sized('new', 10, 13, 10),
      old: [],
      want: [],
    },
    {
      name: 'saturated new RS: active old ones go to 0',
      d: deployment({ replicas: 10 }),
      newRS: replicaSet('new', {
        replicas: 10,
        created: 10,
        annotations: { 'deployment.kubernetes.io/desired-replicas': '10' },
      }),
      old: [sized('old', 2, 13, 0)],
      want: ['old:2->0'],
    },
    {
      name: 'Recreate never scales proportionally',
      d: deployment({ replicas: 10, strategy: 'Recreate' }),
      newRS: sized('new', 4, 5, 10),
      old: [sized('old', 1, 5, 0)],
      want: [],
    },
    {
      name: 'nothing to add: every active RS is still listed so its annotations are rewritten',
      d: deployment({ replicas: 10, maxSurge: 3, maxUnavailable: 2 }),
      newRS: sized('new', 5, 10, 10),
      old: [sized('old', 8, 10, 0)],
      want: ['old:8->8', 'new:5->5'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(summary(planScale(c.d, c.newRS, c.old)), c.want);
    });
  }
});

describe('replicaSetFraction', () => {
  it('an unknown or zero base gives 0 instead of dividing by zero', () => {
    const d = deployment({ replicas: 10, status: { replicas: 0 } });
    assert.equal(replicaSetFraction(d, sized('rs', 3, undefined)), 0);
    assert.equal(replicaSetFraction(d, sized('rs', 3, 0)), 0);
  });
});

describe('planScale against the numbers of upstream TestScale', () => {
  // Each RS was last sized by the previous Deployment: desired = previous replicas,
  // max = previous replicas + previous surge. Sizes are [name, replicas, created (s)].
  type Sizes = [string, number, number][];
  const cases: {
    name: string;
    replicas: number;
    surge: number;
    previous: number;
    previousSurge: number;
    newRS?: Sizes[number];
    old: Sizes;
    want: Record<string, number>;
  }[] = [
    {
      name: '10 → 12, one RS',
      replicas: 12,
      surge: 0,
      previous: 10,
      previousSurge: 0,
      newRS: ['v1', 10, 7200],
      old: [],
      want: { v1: 12 },
    },
    {
      name: '10 → 5, one RS',
      replicas: 5,
      surge: 0,
      previous: 10,
      previousSurge: 0,
      newRS: ['v1', 10, 7200],
      old: [],
      want: { v1: 5 },
    },
    {
      name: '5 → 10',
      replicas: 10,
      surge: 0,
      previous: 5,
      previousSurge: 0,
      newRS: ['v2', 2, 7200],
      old: [['v1', 3, 3600]],
      want: { v2: 4, v1: 6 },
    },
    {
      name: '5 → 3',
      replicas: 3,
      surge: 0,
      previous: 5,
      previousSurge: 0,
      newRS: ['v2', 2, 7200],
      old: [['v1', 3, 3600]],
      want: { v2: 1, v1: 2 },
    },
    {
      name: '9 → 4',
      replicas: 4,
      surge: 0,
      previous: 9,
      previousSurge: 0,
      newRS: ['v2', 8, 7200],
      old: [['v1', 1, 3600]],
      want: { v2: 4, v1: 0 },
    },
    {
      name: '7 → 10',
      replicas: 10,
      surge: 0,
      previous: 7,
      previousSurge: 0,
      newRS: ['v3', 2, 7200],
      old: [
        ['v2', 3, 3600],
        ['v1', 2, 0],
      ],
      want: { v3: 3, v2: 4, v1: 3 },
    },
    {
      name: '13 → 8',
      replicas: 8,
      surge: 0,
      previous: 13,
      previousSurge: 0,
      newRS: ['v3', 2, 7200],
      old: [
        ['v2', 8, 3600],
        ['v1', 3, 0],
      ],
      want: { v3: 1, v2: 5, v1: 2 },
    },
    {
      name: 'leftover 3 → 4 goes to the newest',
      replicas: 4,
      surge: 0,
      previous: 3,
      previousSurge: 0,
      newRS: ['v3', 1, 7200],
      old: [
        ['v2', 1, 3600],
        ['v1', 1, 0],
      ],
      want: { v3: 2, v2: 1, v1: 1 },
    },
    {
      name: 'leftover 3 → 2 comes from the oldest',
      replicas: 2,
      surge: 0,
      previous: 3,
      previousSurge: 0,
      newRS: ['v3', 1, 7200],
      old: [
        ['v2', 1, 3600],
        ['v1', 1, 0],
      ],
      want: { v3: 1, v2: 1, v1: 0 },
    },
    {
      name: 'no new RS, 4 → 5',
      replicas: 5,
      surge: 0,
      previous: 4,
      previousSurge: 0,
      old: [
        ['v2', 2, 3600],
        ['v1', 2, 0],
      ],
      want: { v2: 3, v1: 2 },
    },
    {
      name: '6 → 0',
      replicas: 0,
      surge: 0,
      previous: 6,
      previousSurge: 0,
      newRS: ['v3', 3, 7200],
      old: [
        ['v2', 2, 3600],
        ['v1', 1, 0],
      ],
      want: { v3: 0, v2: 0, v1: 0 },
    },
    {
      name: '0 → 6: the new RS takes all',
      replicas: 6,
      surge: 0,
      previous: 6,
      previousSurge: 0,
      newRS: ['v3', 0, 7200],
      old: [
        ['v2', 0, 3600],
        ['v1', 0, 0],
      ],
      want: { v3: 6 },
    },
    {
      name: 'with surge pods, 10 → 20 (surge 2)',
      replicas: 20,
      surge: 2,
      previous: 10,
      previousSurge: 2,
      newRS: ['v2', 6, 7200],
      old: [['v1', 6, 3600]],
      want: { v2: 11, v1: 11 },
    },
    {
      name: 'surge and size change together',
      replicas: 50,
      surge: 6,
      previous: 10,
      previousSurge: 3,
      newRS: ['v2', 5, 7200],
      old: [['v1', 8, 3600]],
      want: { v2: 22, v1: 34 },
    },
    {
      name: 'size and template change together (no new RS yet)',
      replicas: 14,
      surge: 0,
      previous: 10,
      previousSurge: 0,
      old: [
        ['v2', 7, 7200],
        ['v1', 3, 3600],
      ],
      want: { v2: 10, v1: 4 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const annotations = {
        'deployment.kubernetes.io/desired-replicas': String(c.previous),
        'deployment.kubernetes.io/max-replicas': String(c.previous + c.previousSurge),
      };
      const make = ([name, replicas, created]: Sizes[number]) =>
        replicaSet(name, { replicas, created, available: 0, annotations });
      // Surge 0 with unavailable 0 resolves to unavailable 1, like upstream's test Deployment.
      const d = deployment({ replicas: c.replicas, maxSurge: c.surge, maxUnavailable: 0 });
      const actions = planScale(d, c.newRS && make(c.newRS), c.old.map(make));
      const sizes = Object.fromEntries(
        actions.map((a) => [a.replicaSet.metadata?.name ?? '', a.to] as const),
      );
      assert.deepEqual(sizes, c.want);
    });
  }
});
