// The pure parts of `typerator rollout` for the StatefulSet (operators/statefulset/cli/statefulset-rollout.ts):
// kubectl v1.34's status viewer, history and rollbacker, over revisions as the controller writes them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1ControllerRevision } from '@kubernetes/client-node';
import {
  planStatefulSetUndo,
  statefulSetHistory,
  statefulSetRolloutStatus,
  statefulSetRollouts,
} from '../../../operators/statefulset/cli/statefulset-rollout.ts';
import {
  API_VERSION,
  type StatefulSet,
  type StatefulSetSpec,
} from '../../../operators/statefulset/api/types.ts';
import { newRevision } from '../../../operators/statefulset/logic/revisions.ts';
import { workloads } from '../../../operators/rollout-command.ts';
import { RolloutError, resolveWorkload, resourceName } from '../../../sdk/rollout/index.ts';

const template = (image: string) => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image }] },
});

function set(
  status: StatefulSet['status'],
  spec: Partial<StatefulSetSpec> = {},
  extra: { generation?: number; image?: string; annotations?: Record<string, string> } = {},
): StatefulSet {
  return {
    apiVersion: API_VERSION,
    kind: 'StatefulSet',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: 'uid-web',
      generation: extra.generation ?? 1,
      ...(extra.annotations ? { annotations: extra.annotations } : {}),
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: template(extra.image ?? 'v2'),
      ...spec,
    },
    ...(status ? { status } : {}),
  };
}

function withoutReplicas(s: StatefulSet): StatefulSet {
  delete s.spec.replicas;
  return s;
}

const settled = { observedGeneration: 1, replicas: 3, readyReplicas: 3 };
const byRevision = { updateStrategy: { type: 'RollingUpdate' as const } };

describe('statefulSetRolloutStatus (kubectl v1.34 statefulSetStatusViewer)', () => {
  const cases: [string, StatefulSet, string, boolean][] = [
    ['no status yet', set(undefined), 'Waiting for statefulset spec update to be observed...', false],
    [
      'observedGeneration 0 counts as not observed',
      set({ ...settled, observedGeneration: 0 }),
      'Waiting for statefulset spec update to be observed...',
      false,
    ],
    [
      'a newer generation than observed',
      set(settled, {}, { generation: 2 }),
      'Waiting for statefulset spec update to be observed...',
      false,
    ],
    ['replicas not ready', set({ ...settled, readyReplicas: 1 }), 'Waiting for 2 pods to be ready...', false],
    [
      'replicas defaults to 1',
      withoutReplicas(set({ observedGeneration: 1, replicas: 0 })),
      'Waiting for 1 pods to be ready...',
      false,
    ],
    [
      'strategy left out: defaulted partition 0, pods still to update',
      set({ ...settled, updatedReplicas: 1 }),
      'Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...',
      false,
    ],
    [
      'strategy left out: every pod updated',
      set({ ...settled, updatedReplicas: 3, currentRevision: 'web-a', updateRevision: 'web-b' }),
      'partitioned roll out complete: 3 new pods have been updated...',
      true,
    ],
    [
      'partition 1: two pods to update, one done',
      set({ ...settled, updatedReplicas: 1 }, { updateStrategy: { rollingUpdate: { partition: 1 } } }),
      'Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...',
      false,
    ],
    [
      'partition 2: the pods above the partition are updated',
      set(
        { ...settled, updatedReplicas: 1 },
        { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } },
      ),
      'partitioned roll out complete: 1 new pods have been updated...',
      true,
    ],
    [
      'explicit RollingUpdate without a block: revisions differ',
      set({ ...settled, updatedReplicas: 2, currentRevision: 'web-a', updateRevision: 'web-b' }, byRevision),
      'waiting for statefulset rolling update to complete 2 pods at revision web-b...',
      false,
    ],
    [
      'explicit RollingUpdate without a block: one revision',
      set({ ...settled, currentReplicas: 3, currentRevision: 'web-b', updateRevision: 'web-b' }, byRevision),
      'statefulset rolling update complete 3 pods at revision web-b...',
      true,
    ],
  ];
  for (const [name, s, message, done] of cases) {
    it(name, () => {
      assert.deepEqual(statefulSetRolloutStatus(s), { message, done });
    });
  }

  it('refuses OnDelete, whatever the status', () => {
    assert.throws(
      () => statefulSetRolloutStatus(set(settled, { updateStrategy: { type: 'OnDelete' } })),
      new RolloutError('rollout status is only available for RollingUpdate strategy type'),
    );
  });
});

/** A revision as the controller writes it for `image`, numbered `revision`. */
function revision(image: string, number: number, changeCause?: string): V1ControllerRevision {
  return newRevision(
    set(
      undefined,
      {},
      {
        image,
        ...(changeCause === undefined ? {} : { annotations: { 'kubernetes.io/change-cause': changeCause } }),
      },
    ),
    number,
    0,
  );
}

describe('statefulSetHistory', () => {
  it('lists each revision with its change-cause and the template its data restores', () => {
    const history = statefulSetHistory(set(undefined), [revision('v1', 1, 'first'), revision('v2', 2)]);
    assert.deepEqual(
      history.map((r) => ({ revision: r.revision, changeCause: r.changeCause, template: r.template })),
      [
        { revision: 1n, changeCause: 'first', template: template('v1') },
        { revision: 2n, changeCause: undefined, template: template('v2') },
      ],
    );
  });
  it('reads data without a template as the set’s own template (the patch changes nothing)', () => {
    const odd: V1ControllerRevision = { ...revision('v1', 1), data: { spec: {} } };
    assert.deepEqual(
      statefulSetHistory(set(undefined, {}, { image: 'v9' }), [odd])[0]?.template,
      template('v9'),
    );
  });
});

describe('planStatefulSetUndo (kubectl StatefulSetRollbacker)', () => {
  // Revision 3 is the current template (v2); 2 and 1 are older ones.
  const revisions = [revision('v2', 3), revision('v0', 1), revision('v1', 2)];
  const current = set(undefined, {}, { image: 'v2' });
  const patchTo = (image: string) => [{ op: 'replace', path: '/spec/template', value: template(image) }];

  const cases: [string, bigint, ReturnType<typeof planStatefulSetUndo>][] = [
    ['0: the revision before the newest', 0n, { kind: 'patch', revision: 2n, patch: patchTo('v1') }],
    ['an exact revision', 1n, { kind: 'patch', revision: 1n, patch: patchTo('v0') }],
    ['the current template: skipped', 3n, { kind: 'skip', revision: 3n }],
  ];
  for (const [name, toRevision, plan] of cases) {
    it(name, () => {
      assert.deepEqual(planStatefulSetUndo(current, revisions, toRevision), plan);
    });
  }

  it('skips when the template matches however it was written (canonically equal)', () => {
    const written = set(undefined, {}, { image: 'v1' });
    written.spec.template = {
      metadata: { labels: { app: 'web' }, annotations: {} },
      spec: { containers: [{ image: 'v1', name: 'web', env: [] }] },
    };
    assert.deepEqual(planStatefulSetUndo(written, revisions, 2n), { kind: 'skip', revision: 2n });
  });

  it('explains a missing revision, a negative one, and a history too short to go back', () => {
    assert.throws(
      () => planStatefulSetUndo(current, revisions, 7n),
      new RolloutError('unable to find specified revision 7 in history'),
    );
    assert.throws(
      () => planStatefulSetUndo(current, revisions, -1n),
      new RolloutError('unable to find specified revision -1 in history'),
    );
    assert.throws(
      () => planStatefulSetUndo(current, [revision('v2', 1)], 0n),
      new RolloutError('no last revision to roll back to'),
    );
    assert.throws(
      () => planStatefulSetUndo(current, [], 0n),
      new RolloutError('no last revision to roll back to'),
    );
    assert.deepEqual(planStatefulSetUndo(current, [revision('v1', 1)], 1n), {
      kind: 'patch',
      revision: 1n,
      patch: patchTo('v1'),
    });
  });
});

describe('StatefulSet --kind names', () => {
  it('maps statefulset, tsts and the full name to ours, statefulset.apps to the built-in kind', () => {
    const [ours, builtIn] = statefulSetRollouts;
    for (const name of [
      'statefulset',
      'statefulsets',
      'tsts',
      'StatefulSet',
      'statefulset.apps.typerator.dev',
    ])
      assert.equal(resolveWorkload(workloads, name), ours, name);
    for (const name of ['statefulset.apps', 'statefulsets.apps'])
      assert.equal(resolveWorkload(workloads, name), builtIn, name);
    assert.deepEqual(
      workloads.map((w) => resourceName(w.kind)),
      [
        'deployment.apps.typerator.dev',
        'deployment.apps',
        'statefulset.apps.typerator.dev',
        'statefulset.apps',
      ],
    );
  });
});
