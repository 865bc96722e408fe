import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import type { StatefulSet } from '../../../operators/statefulset/api/types.ts';
import { POD_NAME_LABEL } from '../../../operators/statefulset/logic/identity.ts';
import { splitPods } from '../../../operators/statefulset/logic/pod-split.ts';
import { ClaimBeingDeletedError } from '../../../operators/statefulset/logic/pvc-retention.ts';
import {
  parallelBatchSizes,
  planCondemned,
  planCondemnedClaims,
  planReplica,
  planReplicas,
  type PhasePlan,
  type PodAction,
  type PodStep,
  type ScalingInput,
} from '../../../operators/statefulset/logic/scaling.ts';
import {
  claim,
  claimMap,
  healthy,
  NOW,
  podRef,
  revisionRef,
  setRef,
  statefulPod,
  statefulSet,
  type SetOptions,
} from './fixtures.ts';

/** Claims for every ordinal listed, owned as the Retain/Retain policy wants (no refs). */
const claimsFor = (...ordinals: number[]) => claimMap(...ordinals.map((o) => claim(`datadir-web-${o}`)));

function input(set: StatefulSet, pods: V1Pod[], claims = claimsFor(0, 1, 2, 3, 4, 5)): ScalingInput {
  return {
    set,
    split: splitPods(set, pods, revisionRef(set, 'rev-1'), revisionRef(set, 'rev-1')),
    claims,
    now: NOW,
  };
}

/** An action as a short string: `create-pod web-1`, `create-claims datadir-web-1`, ... */
function describeAction(action: PodAction): string {
  switch (action.kind) {
    case 'create-pod':
    case 'update-pod':
      return `${action.kind} ${action.pod.metadata?.name ?? ''}`;
    case 'delete-pod':
      return `delete-pod ${action.pod.metadata?.name ?? ''} (${action.reason})`;
    case 'create-claims':
    case 'update-claims':
      return `${action.kind} ${action.claims.map((c: V1PersistentVolumeClaim) => c.metadata?.name).join(',')}`;
    case 'fail':
      return `fail ${action.error.name}`;
  }
}
const describeStep = (step: PodStep | undefined) =>
  step === undefined
    ? 'nothing'
    : [...step.actions.map(describeAction), ...(step.halt ? [`halt ${step.halt}`] : [])].join('; ');
const describePhase = (phase: PhasePlan) => ({ steps: phase.steps.map(describeStep), halted: phase.halted });

describe('planReplica', () => {
  const set = statefulSet({ replicas: 3 });
  const at = (pod: V1Pod, options: SetOptions = {}, claims = claimsFor(0, 1, 2)) => {
    const s = statefulSet({ replicas: 3, ...options });
    return describeStep(planReplica(input(s, [pod], claims), pod));
  };
  const cases = [
    {
      name: 'Failed: delete, then wait for it to go',
      pod: statefulPod(set, 1, { phase: 'Failed' }),
      want: 'delete-pod web-1 (failed); halt replacing-terminal-pod',
    },
    {
      name: 'Succeeded: replaced the same way',
      pod: statefulPod(set, 1, { phase: 'Succeeded' }),
      want: 'delete-pod web-1 (succeeded); halt replacing-terminal-pod',
    },
    {
      name: 'Failed and already being deleted: just wait',
      pod: statefulPod(set, 1, { phase: 'Failed', deleting: true }),
      want: 'halt replacing-terminal-pod',
    },
    { name: 'terminating', pod: healthy(set, 1, { deleting: true }), want: 'halt terminating' },
    { name: 'Running, not Ready', pod: statefulPod(set, 1), want: 'halt not-running-and-ready' },
    {
      name: 'Ready but not Running',
      pod: statefulPod(set, 1, { phase: 'Unknown', readyFor: 60 }),
      want: 'halt not-running-and-ready',
    },
    {
      name: 'Ready for less than minReadySeconds',
      pod: statefulPod(set, 1, { readyFor: 5 }),
      options: { minReadySeconds: 30 },
      want: 'halt not-available',
    },
    { name: 'healthy: nothing', pod: healthy(set, 1), want: 'nothing' },
    {
      name: 'Pending with its claim deleted: the claim is recreated, then wait',
      pod: statefulPod(set, 1, { phase: 'Pending' }),
      claims: claimsFor(0, 2),
      want: 'create-claims datadir-web-1; halt not-running-and-ready',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(at(c.pod, c.options, c.claims), c.want);
    });
  }
  it('Parallel: unhealthy pods are not waited for', () => {
    for (const pod of [
      statefulPod(set, 1),
      healthy(set, 1, { deleting: true }),
      statefulPod(set, 1, { readyFor: 1 }),
    ]) {
      assert.equal(at(pod, { policy: 'Parallel', minReadySeconds: 30 }), 'nothing');
    }
    assert.equal(
      at(statefulPod(set, 1, { phase: 'Failed' }), { policy: 'Parallel' }),
      'delete-pod web-1 (failed); halt replacing-terminal-pod',
    );
  });
});

describe('planReplica: a Pending pod in Parallel', () => {
  it("its claims are written once: the repair judges them by the pending writes' result", () => {
    const set = statefulSet({
      replicas: 3,
      policy: 'Parallel',
      whenDeleted: 'Delete',
      claims: ['datadir', 'logs'],
    });
    const pod = statefulPod(set, 1, { phase: 'Pending' });
    const step = planReplica(input(set, [pod], claimMap(claim('logs-web-1'))), pod);
    assert.equal(describeStep(step), 'create-claims datadir-web-1; update-claims logs-web-1');
  });
});

describe('planReplica: creating a missing pod', () => {
  const missing = (options: SetOptions, claims: Map<string, V1PersistentVolumeClaim>) => {
    const set = statefulSet({ replicas: 3, ...options });
    const scaling = input(set, [], claims);
    return describeStep(planReplica(scaling, scaling.split.replicas[1] ?? {}));
  };
  it('claims first, then the pod', () => {
    assert.equal(missing({}, claimsFor()), 'create-claims datadir-web-1; create-pod web-1; halt created');
  });
  it('an existing claim is reused as it is', () => {
    assert.equal(missing({}, claimsFor(1)), 'create-pod web-1; halt created');
  });
  it('an existing claim gets the refs the policy wants (after the pod)', () => {
    assert.equal(
      missing({ whenDeleted: 'Delete' }, claimsFor(1)),
      'create-pod web-1; update-claims datadir-web-1; halt created',
    );
  });
  it('whenScaled Delete: a claim still owned by the previous web-1 blocks the create', () => {
    const stale = claimMap(claim('datadir-web-1', [podRef(1, 'old-uid')]));
    assert.equal(missing({ whenScaled: 'Delete' }, stale), 'halt stale-claim');
    assert.equal(missing({}, stale), 'create-pod web-1; halt created', 'not with whenScaled Retain');
  });
  it('a claim being deleted fails the step before the pod is created', () => {
    const set = statefulSet({ replicas: 3, claims: ['datadir', 'logs'] });
    const scaling = input(set, [], claimMap(claim('datadir-web-1', [], true)));
    const step = planReplica(scaling, scaling.split.replicas[1] ?? {});
    assert.equal(
      describeStep(step),
      'create-claims logs-web-1; fail ClaimBeingDeletedError; create-pod web-1; halt created',
    );
    const failure = step?.actions.find((a) => a.kind === 'fail');
    assert.equal(failure?.kind === 'fail' && failure.error instanceof ClaimBeingDeletedError, true);
  });
});

describe('planReplica: repair in place (never halts)', () => {
  const set = statefulSet({ replicas: 3 });
  it('a missing pod-name label: the pod is updated', () => {
    const pod = healthy(set, 1);
    const labels = Object.fromEntries(
      Object.entries(pod.metadata?.labels ?? {}).filter(([key]) => key !== POD_NAME_LABEL),
    );
    const broken = { ...pod, metadata: { ...pod.metadata, labels } };
    const step = planReplica(input(set, [broken]), broken);
    assert.equal(describeStep(step), 'update-pod web-1');
    const update = step?.actions[0];
    assert.equal(update?.kind === 'update-pod' && update.pod.metadata?.labels?.[POD_NAME_LABEL], 'web-1');
  });
  it('wrong storage: volumes fixed and missing claims created', () => {
    const pod = healthy(set, 1);
    const broken = { ...pod, spec: { containers: [], ...pod.spec, volumes: [] } };
    assert.equal(
      describeStep(planReplica(input(set, [broken], claimsFor()), broken)),
      'create-claims datadir-web-1; update-pod web-1',
    );
  });
  it('claim refs out of line with the policy: claims updated, and the (unchanged) pod too', () => {
    const s = statefulSet({ replicas: 3, whenDeleted: 'Delete' });
    const pod = healthy(s, 1);
    const step = planReplica(input(s, [pod], claimsFor(1)), pod);
    assert.equal(describeStep(step), 'update-claims datadir-web-1; update-pod web-1');
    assert.deepEqual(step?.actions[1]?.kind === 'update-pod' && step.actions[1].pod, pod);
  });
  it('claim refs fine: nothing', () => {
    const s = statefulSet({ replicas: 3, whenDeleted: 'Delete' });
    const pod = healthy(s, 1);
    assert.equal(planReplica(input(s, [pod], claimMap(claim('datadir-web-1', [setRef()]))), pod), undefined);
  });
});

describe('planReplicas: OrderedReady vs Parallel', () => {
  const plan = (options: SetOptions, pods: (s: StatefulSet) => V1Pod[]) => {
    const set = statefulSet({ replicas: 3, ...options });
    return describePhase(planReplicas(input(set, pods(set), claimsFor())));
  };
  it('OrderedReady from nothing: only web-0', () => {
    assert.deepEqual(
      plan({}, () => []),
      { steps: ['create-claims datadir-web-0; create-pod web-0; halt created'], halted: true },
    );
  });
  it('OrderedReady: web-1 only once web-0 is Running, Ready and available', () => {
    assert.deepEqual(
      plan({}, (s) => [statefulPod(s, 0)]),
      { steps: ['halt not-running-and-ready'], halted: true },
    );
    assert.deepEqual(
      plan({}, (s) => [healthy(s, 0)]),
      { steps: ['create-claims datadir-web-1; create-pod web-1; halt created'], halted: true },
    );
  });
  it('OrderedReady: a missing lower ordinal is recreated even while a higher one is unhealthy', () => {
    assert.deepEqual(
      plan({}, (s) => [statefulPod(s, 1), healthy(s, 2)]),
      {
        steps: ['create-claims datadir-web-0; create-pod web-0; halt created'],
        halted: true,
      },
    );
  });
  it('OrderedReady: all healthy: nothing, not halted', () => {
    assert.deepEqual(
      plan({}, (s) => [0, 1, 2].map((o) => healthy(s, o))),
      { steps: [], halted: false },
    );
  });
  it('Parallel: every missing pod at once, unhealthy ones ignored', () => {
    assert.deepEqual(
      plan({ policy: 'Parallel' }, (s) => [statefulPod(s, 1)]),
      {
        steps: [
          'create-claims datadir-web-0; create-pod web-0; halt created',
          'create-claims datadir-web-2; create-pod web-2; halt created',
        ],
        halted: false,
      },
    );
  });
});

describe('planCondemnedClaims', () => {
  it('whenScaled Delete: condemned claims get the pod as controller before any deletion', () => {
    const set = statefulSet({ replicas: 1, whenScaled: 'Delete', whenDeleted: 'Delete' });
    const pods = [healthy(set, 0), healthy(set, 1), healthy(set, 2)];
    const claims = claimMap(
      claim('datadir-web-0', [setRef()]),
      claim('datadir-web-1', [setRef()]),
      claim('datadir-web-2', [podRef(2)]),
    );
    assert.deepEqual(describePhase(planCondemnedClaims(input(set, pods, claims))), {
      steps: ['update-claims datadir-web-1'],
      halted: false,
    });
  });
  it('Retain/Retain: nothing', () => {
    const set = statefulSet({ replicas: 1 });
    assert.deepEqual(planCondemnedClaims(input(set, [healthy(set, 0), healthy(set, 1)])).steps, []);
  });
});

describe('planCondemned', () => {
  const plan = (options: SetOptions, pods: (s: StatefulSet) => V1Pod[]) => {
    const set = statefulSet({ replicas: 2, ...options });
    return describePhase(planCondemned(input(set, pods(set))));
  };
  const healthyBase = (s: StatefulSet) => [healthy(s, 0), healthy(s, 1)];
  const cases = [
    {
      name: 'one deletion per sync, highest first',
      pods: (s: StatefulSet) => [...healthyBase(s), healthy(s, 2), healthy(s, 3)],
      want: { steps: ['delete-pod web-3 (scale-down); halt deleted'], halted: true },
    },
    {
      name: 'the next waits until the last is gone',
      pods: (s: StatefulSet) => [...healthyBase(s), healthy(s, 2), healthy(s, 3, { deleting: true })],
      want: { steps: ['halt terminating'], halted: true },
    },
    {
      name: 'an unhealthy highest pod that is the first unavailable is deleted',
      pods: (s: StatefulSet) => [...healthyBase(s), healthy(s, 2), statefulPod(s, 3)],
      want: { steps: ['delete-pod web-3 (scale-down); halt deleted'], halted: true },
    },
    {
      name: 'a healthy highest pod goes even while a lower condemned one is unhealthy',
      pods: (s: StatefulSet) => [...healthyBase(s), statefulPod(s, 2), healthy(s, 3)],
      want: { steps: ['delete-pod web-3 (scale-down); halt deleted'], halted: true },
    },
    {
      name: 'two unhealthy: the higher one halts the scale-down',
      pods: (s: StatefulSet) => [...healthyBase(s), statefulPod(s, 2), statefulPod(s, 3)],
      want: { steps: ['halt not-running-and-ready'], halted: true },
    },
    {
      name: 'minReadySeconds: a young pod that is not the first unavailable halts',
      options: { minReadySeconds: 30 },
      pods: (s: StatefulSet) => [
        ...healthyBase(s),
        statefulPod(s, 2, { readyFor: 5 }),
        statefulPod(s, 3, { readyFor: 5 }),
      ],
      want: { steps: ['halt not-available'], halted: true },
    },
    {
      name: 'scale to 0 with every pod unready: nothing is deleted (e2e halt)',
      options: { replicas: 0 },
      pods: (s: StatefulSet) => [0, 1, 2].map((o) => statefulPod(s, o)),
      want: { steps: ['halt not-running-and-ready'], halted: true },
    },
    {
      name: 'scale to 0, all healthy: web-2 first',
      options: { replicas: 0 },
      pods: (s: StatefulSet) => [0, 1, 2].map((o) => healthy(s, o)),
      want: { steps: ['delete-pod web-2 (scale-down); halt deleted'], halted: true },
    },
    {
      name: 'Parallel: every condemned pod at once, whatever its health; terminating ones skipped',
      options: { policy: 'Parallel' as const },
      pods: (s: StatefulSet) => [
        ...healthyBase(s),
        statefulPod(s, 2),
        healthy(s, 3, { deleting: true }),
        statefulPod(s, 4),
      ],
      want: {
        steps: ['delete-pod web-4 (scale-down); halt deleted', 'delete-pod web-2 (scale-down); halt deleted'],
        halted: false,
      },
    },
    { name: 'nothing condemned', pods: healthyBase, want: { steps: [], halted: false } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(plan(c.options ?? {}, c.pods), c.want);
    });
  }
});

describe('parallelBatchSizes', () => {
  it('1, 2, 4, … capped at 500', () => {
    assert.deepEqual(parallelBatchSizes(5), [1, 2, 2]);
    assert.deepEqual(parallelBatchSizes(2000), [1, 2, 4, 8, 16, 32, 64, 128, 256, 500, 500, 489]);
    assert.deepEqual(parallelBatchSizes(0), []);
  });
});
