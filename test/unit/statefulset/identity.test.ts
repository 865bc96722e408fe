import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import {
  claimName,
  claimsForOrdinal,
  CONTROLLER_REVISION_HASH_LABEL,
  identityMatches,
  isMemberOf,
  newStatefulSetPod,
  NotAStatefulSetPodError,
  parsePodName,
  podInOrdinalRange,
  POD_INDEX_LABEL,
  POD_NAME_LABEL,
  podName,
  podRevision,
  repairedPod,
  statefulSetControllerRef,
  storageMatches,
  withIdentity,
  withStorage,
} from '../../../operators/statefulset/logic/identity.ts';
import { statefulPod, statefulSet } from './fixtures.ts';

const set = statefulSet();
const rename = (pod: V1Pod, name: string): V1Pod => ({ ...pod, metadata: { ...pod.metadata, name } });

describe('parsePodName', () => {
  const cases = [
    { name: 'web-1', want: { parent: 'web', ordinal: 1 } },
    { name: 'web-0', want: { parent: 'web', ordinal: 0 } },
    { name: 'my-web-12', want: { parent: 'my-web', ordinal: 12 } },
    { name: 'web-1-2 (greedy: the last -digits)', want: { parent: 'web-1', ordinal: 2 } },
    { name: 'web-01 (leading zeros parse)', want: { parent: 'web', ordinal: 1 } },
    { name: 'web-2147483647', want: { parent: 'web', ordinal: 2147483647 } },
    { name: 'web-2147483648 (beyond int32: parent only)', want: { parent: 'web', ordinal: undefined } },
    { name: '1-bar', want: undefined },
    { name: 'web-', want: undefined },
    { name: 'web', want: undefined },
    { name: '-3', want: { parent: '', ordinal: 3 } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(parsePodName(c.name.split(' ')[0] ?? ''), c.want);
    });
  }
});

describe('names and membership', () => {
  it('pod and claim names', () => {
    assert.equal(podName(set, 4), 'web-4');
    assert.equal(claimName(set, 'datadir', 4), 'datadir-web-4');
  });
  it('isMemberOf compares the parsed parent with the set name', () => {
    assert.equal(isMemberOf(set, statefulPod(set, 1)), true);
    assert.equal(isMemberOf(statefulSet({ name: 'web2' }), statefulPod(set, 1)), false);
    assert.equal(isMemberOf(statefulSet({ name: 'web-1' }), rename(statefulPod(set, 0), 'web-1-0')), true);
    assert.equal(isMemberOf(set, rename(statefulPod(set, 0), 'web-1-0')), false);
    assert.equal(isMemberOf(set, rename(statefulPod(set, 0), 'web')), false);
  });
  it('podInOrdinalRange honours ordinals.start', () => {
    const shifted = statefulSet({ replicas: 3, start: 2 });
    const inRange = [0, 1, 2, 3, 4, 5].map((o) => podInOrdinalRange(shifted, statefulPod(shifted, o)));
    assert.deepEqual(inRange, [false, false, true, true, true, false]);
    assert.equal(podInOrdinalRange(shifted, rename(statefulPod(shifted, 2), 'web')), false);
  });
});

describe('identityMatches / withIdentity', () => {
  const fresh = statefulPod(set, 1);
  const withoutLabel = (key: string): V1Pod => {
    const labels = Object.fromEntries(
      Object.entries(fresh.metadata?.labels ?? {}).filter(([k]) => k !== key),
    );
    return { ...fresh, metadata: { ...fresh.metadata, labels } };
  };
  const cases = [
    { name: 'a pod the set made', pod: fresh, want: true },
    { name: 'another name', pod: rename(fresh, 'foo'), want: false },
    { name: 'leading zeros: the name is not <set>-<ordinal>', pod: rename(fresh, 'web-01'), want: false },
    {
      name: 'another namespace',
      pod: { ...fresh, metadata: { ...fresh.metadata, namespace: 'other' } },
      want: false,
    },
    { name: 'no pod-name label', pod: withoutLabel(POD_NAME_LABEL), want: false },
    {
      name: 'no pod-index label: still matches (not checked)',
      pod: withoutLabel(POD_INDEX_LABEL),
      want: true,
    },
    { name: "another set's pod", pod: statefulPod(statefulSet({ name: 'db' }), 1), want: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(identityMatches(set, c.pod), c.want);
    });
  }
  it('withIdentity restores namespace and both labels, keeping the rest', () => {
    const broken: V1Pod = {
      ...fresh,
      metadata: { ...fresh.metadata, namespace: 'other', labels: { app: 'web', extra: 'x' } },
    };
    const repaired = withIdentity(set, broken);
    assert.equal(identityMatches(set, repaired), true);
    assert.deepEqual(repaired.metadata?.labels, {
      app: 'web',
      extra: 'x',
      [POD_NAME_LABEL]: 'web-1',
      [POD_INDEX_LABEL]: '1',
    });
    assert.equal(broken.metadata?.namespace, 'other', 'the input is not changed');
  });
  it('withIdentity refuses a pod without an ordinal', () => {
    assert.throws(() => withIdentity(set, rename(fresh, 'web')), NotAStatefulSetPodError);
  });
});

describe('storageMatches / withStorage', () => {
  const fresh = statefulPod(set, 1);
  const volumes = (pod: V1Pod, list: NonNullable<V1Pod['spec']>['volumes']): V1Pod => ({
    ...pod,
    spec: { containers: [], ...pod.spec, volumes: list ?? [] },
  });
  const cases = [
    { name: 'a pod the set made', pod: fresh, want: true },
    { name: 'no volumes', pod: volumes(fresh, []), want: false },
    {
      name: 'the claim volume is not a claim',
      pod: volumes(fresh, [{ name: 'datadir', emptyDir: {} }]),
      want: false,
    },
    {
      name: 'the claim volume names another claim',
      pod: volumes(fresh, [{ name: 'datadir', persistentVolumeClaim: { claimName: 'foo' } }]),
      want: false,
    },
    {
      name: 'a pod without an ordinal (not repairable)',
      pod: rename(fresh, 'bar'),
      want: false,
      repairable: false,
    },
    {
      name: 'a set without claim templates: any pod with an ordinal',
      pod: volumes(fresh, []),
      set: statefulSet({ claims: [] }),
      want: true,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(storageMatches(c.set ?? set, c.pod), c.want);
      if (c.want || c.repairable === false) return;
      assert.equal(storageMatches(set, withStorage(set, c.pod)), true, 'withStorage repairs it');
    });
  }
  it('claim volumes first, in template order; a pod volume of the same name is replaced; others kept', () => {
    const two = statefulSet({ claims: ['datadir', 'logs'] });
    const pod = volumes(statefulPod(two, 2), [
      { name: 'home', hostPath: { path: '/tmp/home' } },
      { name: 'logs', emptyDir: {} },
    ]);
    assert.deepEqual(withStorage(two, pod).spec?.volumes, [
      { name: 'datadir', persistentVolumeClaim: { claimName: 'datadir-web-2' } },
      { name: 'logs', persistentVolumeClaim: { claimName: 'logs-web-2' } },
      { name: 'home', hostPath: { path: '/tmp/home' } },
    ]);
  });
});

describe('newStatefulSetPod', () => {
  const annotated = statefulSet();
  annotated.spec.template.metadata = {
    labels: { app: 'web' },
    annotations: { note: 'x' },
    finalizers: ['example.com/keep'],
  };
  const pod = newStatefulSetPod(annotated, annotated.spec.template, 2, 'web-6c9f8b7d4');
  it('name, generateName, namespace-free metadata from the template, owner', () => {
    assert.equal(pod.metadata?.name, 'web-2');
    assert.equal(pod.metadata?.generateName, 'web-');
    assert.equal(pod.metadata?.namespace, 'ns');
    assert.deepEqual(pod.metadata?.annotations, { note: 'x' });
    assert.deepEqual(pod.metadata?.finalizers, ['example.com/keep']);
    assert.deepEqual(pod.metadata?.ownerReferences, [
      {
        apiVersion: 'apps.typerator.dev/v1',
        kind: 'StatefulSet',
        name: 'web',
        uid: 'web-uid',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
  });
  it('labels: template, pod-name, pod-index and the full revision name', () => {
    assert.deepEqual(pod.metadata?.labels, {
      app: 'web',
      [POD_NAME_LABEL]: 'web-2',
      [POD_INDEX_LABEL]: '2',
      [CONTROLLER_REVISION_HASH_LABEL]: 'web-6c9f8b7d4',
    });
    assert.equal(podRevision(pod), 'web-6c9f8b7d4');
  });
  it('hostname and subdomain (serviceName), claim volume replacing nothing, template volume kept', () => {
    assert.equal(pod.spec?.hostname, 'web-2');
    assert.equal(pod.spec?.subdomain, 'nginx');
    assert.deepEqual(pod.spec?.volumes, [
      { name: 'datadir', persistentVolumeClaim: { claimName: 'datadir-web-2' } },
      { name: 'home', hostPath: { path: '/tmp/home' } },
    ]);
    assert.equal(identityMatches(annotated, pod) && storageMatches(annotated, pod), true);
  });
  it('no subdomain without serviceName; no status (not created); the template is not shared', () => {
    const headless = statefulSet();
    delete headless.spec.serviceName;
    const made = newStatefulSetPod(headless, headless.spec.template, 0, 'r');
    assert.equal(made.spec?.subdomain, undefined);
    assert.equal(made.status, undefined);
    made.spec?.containers[0]?.volumeMounts?.push({ name: 'x', mountPath: '/x' });
    assert.equal(headless.spec.template.spec?.containers[0]?.volumeMounts?.length, 2);
  });
  it('generateName falls back to the bare name when `<name>-` is too long', () => {
    const long = statefulSet({ name: 'a'.repeat(253) });
    assert.equal(newStatefulSetPod(long, long.spec.template, 0, 'r').metadata?.generateName, 'a'.repeat(253));
  });
  it('needs the set uid for the owner reference', () => {
    const unsaved = statefulSet();
    delete unsaved.metadata?.uid;
    assert.throws(() => statefulSetControllerRef(unsaved), TypeError);
  });
});

describe('claimsForOrdinal (labels like upstream getPersistentVolumeClaims)', () => {
  const cases = [
    {
      name: 'template without labels, no matchLabels: none',
      templateLabels: undefined,
      match: undefined,
      want: undefined,
    },
    {
      name: 'template without labels: the matchLabels',
      templateLabels: undefined,
      match: { app: 'web' },
      want: { app: 'web' },
    },
    {
      name: 'labels merged',
      templateLabels: { tier: 'db' },
      match: { app: 'web' },
      want: { tier: 'db', app: 'web' },
    },
    {
      name: 'matchLabels win on a clash',
      templateLabels: { app: 'db' },
      match: { app: 'web' },
      want: { app: 'web' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = statefulSet();
      s.spec.selector =
        c.match === undefined
          ? { matchExpressions: [{ key: 'app', operator: 'Exists' }] }
          : { matchLabels: c.match };
      s.spec.volumeClaimTemplates = [
        {
          metadata: {
            name: 'datadir',
            ...(c.templateLabels === undefined ? {} : { labels: c.templateLabels }),
          },
        },
      ];
      const [made] = claimsForOrdinal(s, 0);
      assert.deepEqual(made?.metadata?.labels, c.want);
    });
  }
  it('one claim per template, named and namespaced, spec copied (not shared)', () => {
    const two = statefulSet({ claims: ['datadir', 'logs'], start: 5 });
    const made = claimsForOrdinal(two, 5);
    assert.deepEqual(
      made.map((c) => [c.metadata?.name, c.metadata?.namespace]),
      [
        ['datadir-web-5', 'ns'],
        ['logs-web-5', 'ns'],
      ],
    );
    assert.deepEqual(made[0]?.spec?.resources?.requests, { storage: '1Gi' });
    made[0]?.spec?.accessModes?.push('ReadOnlyMany');
    assert.deepEqual(two.spec.volumeClaimTemplates?.[0]?.spec?.accessModes, ['ReadWriteOnce']);
  });
});

describe('repairedPod', () => {
  it('undefined when identity and storage match', () => {
    assert.equal(repairedPod(set, statefulPod(set, 0)), undefined);
  });
  it('fixes label and volumes in one copy, keeping hostname, status and uid', () => {
    const pod = statefulPod(set, 0);
    const broken: V1Pod = {
      ...pod,
      metadata: { ...pod.metadata, labels: { app: 'web' } },
      spec: { containers: [], ...pod.spec, volumes: [] },
    };
    const repaired = repairedPod(set, broken);
    assert.equal(
      repaired !== undefined && identityMatches(set, repaired) && storageMatches(set, repaired),
      true,
    );
    assert.equal(repaired?.metadata?.uid, 'web-0-uid');
    assert.equal(repaired?.spec?.hostname, 'web-0');
    assert.equal(repaired?.status?.phase, 'Running');
  });
});
