import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { podRevision } from '../../../operators/statefulset/logic/identity.ts';
import { isCreated } from '../../../operators/statefulset/logic/pod-state.ts';
import {
  firstUnavailablePod,
  missingReplicas,
  splitPods,
} from '../../../operators/statefulset/logic/pod-split.ts';
import { healthy, names, NOW, revisionRef, statefulPod, statefulSet } from './fixtures.ts';

const rename = (pod: V1Pod, name: string): V1Pod => ({ ...pod, metadata: { ...pod.metadata, name } });

describe('splitPods', () => {
  it('replicas by index, with pods to create for the gaps', () => {
    const set = statefulSet({ replicas: 3 });
    const split = splitPods(
      set,
      [healthy(set, 2), healthy(set, 0)],
      revisionRef(set, 'cur'),
      revisionRef(set, 'upd'),
    );
    assert.deepEqual(names(split.replicas), ['web-0', 'web-1', 'web-2']);
    assert.deepEqual(split.replicas.map(isCreated), [true, false, true]);
    assert.equal(podRevision(split.replicas[1] ?? {}), 'upd');
    assert.deepEqual(names(missingReplicas(split)), ['web-1']);
    assert.deepEqual(split.condemned, []);
  });
  it('condemned: out of range, highest ordinal first', () => {
    const set = statefulSet({ replicas: 2 });
    const pods = [0, 3, 1, 4, 2].map((o) => healthy(set, o));
    const split = splitPods(set, pods, revisionRef(set, 'cur'), revisionRef(set, 'upd'));
    assert.deepEqual(names(split.replicas), ['web-0', 'web-1']);
    assert.deepEqual(names(split.condemned), ['web-4', 'web-3', 'web-2']);
  });
  it('ordinals.start: {0,1} with start 2 and 3 replicas → create 2, 3, 4; condemn 1, 0', () => {
    const set = statefulSet({ replicas: 3, start: 2 });
    const split = splitPods(
      set,
      [healthy(set, 0), healthy(set, 1)],
      revisionRef(set, 'c'),
      revisionRef(set, 'u'),
    );
    assert.deepEqual(names(split.replicas), ['web-2', 'web-3', 'web-4']);
    assert.equal(split.replicas.some(isCreated), false);
    assert.deepEqual(names(split.condemned), ['web-1', 'web-0']);
  });
  it('replicas 0: everything condemned', () => {
    const set = statefulSet({ replicas: 0 });
    const split = splitPods(
      set,
      [healthy(set, 0), healthy(set, 1)],
      revisionRef(set, 'c'),
      revisionRef(set, 'u'),
    );
    assert.deepEqual([split.replicas.length, names(split.condemned)], [0, ['web-1', 'web-0']]);
  });
  it('pods without an ordinal are ignored', () => {
    const set = statefulSet({ replicas: 1 });
    const split = splitPods(
      set,
      [rename(healthy(set, 0), 'web'), rename(healthy(set, 0), 'web-99999999999')],
      revisionRef(set, 'c'),
      revisionRef(set, 'u'),
    );
    assert.deepEqual(split.replicas.map(isCreated), [false]);
    assert.deepEqual(split.condemned, []);
  });
  it('missing pods below the partition are built from the current revision, above from the update', () => {
    const set = statefulSet({ replicas: 3, partition: 2 });
    const old = structuredClone(set.spec.template);
    const container = old.spec?.containers[0];
    if (container !== undefined) container.image = 'nginx:0';
    const split = splitPods(set, [], { name: 'cur', template: old }, revisionRef(set, 'upd'));
    assert.deepEqual(split.replicas.map(podRevision), ['cur', 'cur', 'upd']);
    assert.deepEqual(
      split.replicas.map((p) => p.spec?.containers[0]?.image),
      ['nginx:0', 'nginx:0', 'nginx:1'],
    );
  });
  it('two pods with one ordinal (leading zeros): the later one wins', () => {
    const set = statefulSet({ replicas: 2 });
    const odd = rename(healthy(set, 1), 'web-01');
    const split = splitPods(set, [healthy(set, 1), odd], revisionRef(set, 'c'), revisionRef(set, 'u'));
    assert.equal(split.replicas[1], odd);
  });
});

describe('firstUnavailablePod', () => {
  const set = statefulSet({ replicas: 2 });
  const split = (pods: V1Pod[]) => splitPods(set, pods, revisionRef(set, 'c'), revisionRef(set, 'u'));
  it('the first unavailable replica, a missing one included', () => {
    const s = split([healthy(set, 0), healthy(set, 3), statefulPod(set, 2)]);
    assert.equal(firstUnavailablePod(s, 0, NOW), s.replicas[1]);
  });
  it('else the lowest-ordinal unavailable condemned pod', () => {
    const s = split([
      healthy(set, 0),
      healthy(set, 1),
      statefulPod(set, 4),
      healthy(set, 3),
      statefulPod(set, 2),
    ]);
    assert.equal(firstUnavailablePod(s, 0, NOW)?.metadata?.name, 'web-2');
  });
  it('terminating counts as unavailable; none when all are available', () => {
    const s = split([healthy(set, 0), healthy(set, 1), healthy(set, 2, { deleting: true })]);
    assert.equal(firstUnavailablePod(s, 0, NOW)?.metadata?.name, 'web-2');
    assert.equal(firstUnavailablePod(split([healthy(set, 0), healthy(set, 1)]), 0, NOW), undefined);
  });
  it('minReadySeconds: a young pod is unavailable', () => {
    const s = split([healthy(set, 0), statefulPod(set, 1, { readyFor: 5 })]);
    assert.equal(firstUnavailablePod(s, 30, NOW)?.metadata?.name, 'web-1');
    assert.equal(firstUnavailablePod(s, 0, NOW), undefined);
  });
});
