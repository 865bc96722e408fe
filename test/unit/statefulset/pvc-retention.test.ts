import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1OwnerReference, V1Pod } from '@kubernetes/client-node';
import type { PersistentVolumeClaimRetentionPolicyType as Policy } from '../../../operators/statefulset/api/types.ts';
import {
  ClaimBeingDeletedError,
  claimOwnerReferences,
  claimsMatchRetentionPolicy,
  conflictingControllerMessage,
  hasNonControllerOwner,
  hasStaleClaim,
  hasStaleOwnerRef,
  hasUnexpectedController,
  isClaimOwnerUpToDate,
  missingClaims,
  podOwner,
  retentionUpdates,
  setOwner,
} from '../../../operators/statefulset/logic/pvc-retention.ts';
import { claim, claimMap, podRef, ref, setRef, statefulPod, statefulSet } from './fixtures.ts';

const policySet = (whenScaled: Policy, whenDeleted: Policy, replicas = 2) =>
  statefulSet({ replicas, whenScaled, whenDeleted });
const withRefs = (refs: V1OwnerReference[]) => claim('datadir-web-1', refs);
const controllers = (refs: readonly V1OwnerReference[]) =>
  refs.filter((r) => r.controller === true).map((r) => `${r.kind}/${r.name}`);

describe('§4.4 table: which refs a claim must have', () => {
  // [whenScaled, whenDeleted, in-range claim's controller, condemned claim's controller]
  const table: [Policy, Policy, string[], string[]][] = [
    ['Retain', 'Retain', [], []],
    ['Retain', 'Delete', ['StatefulSet/web'], ['StatefulSet/web']],
    ['Delete', 'Retain', [], ['Pod/web-2']],
    ['Delete', 'Delete', ['StatefulSet/web'], ['Pod/web-2']],
  ];
  for (const [whenScaled, whenDeleted, inRange, condemned] of table) {
    it(`whenScaled ${whenScaled}, whenDeleted ${whenDeleted}`, () => {
      const set = policySet(whenScaled, whenDeleted);
      const keep = statefulPod(set, 1);
      const gone = statefulPod(set, 2);
      assert.deepEqual(controllers(claimOwnerReferences(set, keep, claim('datadir-web-1'))), inRange);
      assert.deepEqual(controllers(claimOwnerReferences(set, gone, claim('datadir-web-2'))), condemned);
      // Delete/Delete on a condemned claim: the set's ref is removed.
      const moved = claimOwnerReferences(set, gone, claim('datadir-web-2', [setRef()]));
      assert.deepEqual(controllers(moved), condemned);
    });
  }
});

describe('isClaimOwnerUpToDate over every combination of refs (upstream TestIsClaimOwnerUpToDate)', () => {
  const cases = [
    {
      name: 'retain',
      scaled: 'Retain',
      deleted: 'Retain',
      podRef: false,
      setRef: false,
      replicas: 0,
      ordinal: 0,
    },
    {
      name: 'on set delete',
      scaled: 'Retain',
      deleted: 'Delete',
      podRef: false,
      setRef: true,
      replicas: 0,
      ordinal: 0,
    },
    {
      name: 'on scale-down, condemned',
      scaled: 'Delete',
      deleted: 'Retain',
      podRef: true,
      setRef: false,
      replicas: 2,
      ordinal: 2,
    },
    {
      name: 'on scale-down, kept',
      scaled: 'Delete',
      deleted: 'Retain',
      podRef: false,
      setRef: false,
      replicas: 2,
      ordinal: 1,
    },
    {
      name: 'on both, condemned',
      scaled: 'Delete',
      deleted: 'Delete',
      podRef: true,
      setRef: false,
      replicas: 2,
      ordinal: 2,
    },
    {
      name: 'on both, kept',
      scaled: 'Delete',
      deleted: 'Delete',
      podRef: false,
      setRef: true,
      replicas: 2,
      ordinal: 1,
    },
  ] as const;
  for (const c of cases) {
    for (const others of [false, true]) {
      for (const hasPod of [false, true]) {
        for (const hasSet of [false, true]) {
          it(`${c.name}: pod ref ${hasPod}, set ref ${hasSet}, other owners ${others}`, () => {
            const set = policySet(c.scaled, c.deleted, c.replicas);
            const pod = statefulPod(set, c.ordinal);
            const refs = [
              ...(hasPod ? [podRef(c.ordinal)] : []),
              ...(hasSet ? [setRef()] : []),
              ...(others
                ? [ref('v1', 'Pod', 'rand1', 'rand1-uid'), ref('v1', 'Pod', 'rand2', 'rand2-uid')]
                : []),
            ];
            const expected = hasPod === c.podRef && hasSet === c.setRef;
            assert.equal(isClaimOwnerUpToDate(set, pod, claim(`datadir-web-${c.ordinal}`, refs)), expected);
            // And after rewriting the refs, it always is.
            const fixed = claim(`datadir-web-${c.ordinal}`, claimOwnerReferences(set, pod, claim('x', refs)));
            assert.equal(isClaimOwnerUpToDate(set, pod, fixed), true);
            if (others)
              assert.equal(
                fixed.metadata?.ownerReferences?.filter((r) => r.name.startsWith('rand')).length,
                2,
              );
          });
        }
      }
    }
  }
});

describe('isClaimOwnerUpToDate edge cases (stale, non-controller, unexpected controller)', () => {
  const set = policySet('Delete', 'Delete', 2);
  const retainOnScale = policySet('Retain', 'Delete', 2);
  const condemned = statefulPod(set, 2);
  const kept = statefulPod(retainOnScale, 1);
  const cases = [
    { name: 'pod controller on a condemned claim', s: set, pod: condemned, refs: [podRef(2)], want: true },
    {
      name: 'pod ref not a controller',
      s: set,
      pod: condemned,
      refs: [podRef(2, undefined, false)],
      want: false,
    },
    {
      name: 'stale pod controller (other UID): leave it',
      s: set,
      pod: condemned,
      refs: [podRef(2, 'old')],
      want: true,
    },
    {
      name: 'pod controller and another controller: our ref must go',
      s: set,
      pod: condemned,
      refs: [podRef(2), ref('v1', 'Pod', 'random', 'random', true)],
      want: false,
    },
    {
      name: 'only another controller: nothing to do',
      s: set,
      pod: condemned,
      refs: [ref('example.com/v1', 'Owner', 'x', 'x-uid', true)],
      want: true,
    },
    { name: 'set controller', s: retainOnScale, pod: kept, refs: [setRef()], want: true },
    {
      name: 'set ref not a controller',
      s: retainOnScale,
      pod: kept,
      refs: [setRef('web-uid', false)],
      want: false,
    },
    {
      name: 'stale set controller: leave it',
      s: retainOnScale,
      pod: kept,
      refs: [setRef('old')],
      want: true,
    },
    {
      name: 'set controller and another set controller',
      s: retainOnScale,
      pod: kept,
      refs: [setRef(), ref('apps.typerator.dev/v1', 'StatefulSet', 'other', 'random', true)],
      want: false,
    },
    {
      name: 'a built-in apps/v1 StatefulSet of the same name is another controller',
      s: retainOnScale,
      pod: kept,
      refs: [ref('apps/v1', 'StatefulSet', 'web', 'builtin', true)],
      want: true,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(isClaimOwnerUpToDate(c.s, c.pod, withRefs(c.refs)), c.want);
    });
  }
});

describe('claimOwnerReferences (upstream TestUpdateClaimControllerRef, Delete/Delete, pod web-0 uid 456)', () => {
  const set = statefulSet({ replicas: 1, whenScaled: 'Delete', whenDeleted: 'Delete' });
  const pod: V1Pod = { ...statefulPod(set, 0), metadata: { ...statefulPod(set, 0).metadata, uid: '456' } };
  const cases = [
    {
      name: 'already right: same refs (ours rewritten after the others), foreign non-controller kept',
      refs: [setRef(), ref('someone', 'Else', 'foo', '')],
      want: [ref('someone', 'Else', 'foo', ''), { ...setRef(), blockOwnerDeletion: true }],
    },
    {
      name: 'our non-controller ref becomes the controller',
      refs: [setRef('web-uid', false)],
      want: [{ ...setRef(), blockOwnerDeletion: true }],
    },
    {
      name: 'a foreign ref that happens to carry the pod UID is kept, and the set is added',
      refs: [ref('someone', 'else', 'web', '456')],
      want: [ref('someone', 'else', 'web', '456'), { ...setRef(), blockOwnerDeletion: true }],
    },
    { name: 'no refs: the set is added', refs: [], want: [{ ...setRef(), blockOwnerDeletion: true }] },
    {
      name: 'our name without a UID counts as stale: scrubbed, nothing added',
      refs: [ref('apps.typerator.dev/v1', 'StatefulSet', 'web', '', true)],
      want: [],
    },
    {
      name: 'another controller: our refs scrubbed, nothing added',
      refs: [setRef(), ref('custom/v1', 'Unknown', 'unknown', 'xyz', true)],
      want: [ref('custom/v1', 'Unknown', 'unknown', 'xyz', true)],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(claimOwnerReferences(set, pod, withRefs(c.refs)), c.want);
    });
  }
});

describe('hasUnexpectedController (set "web", pod web-1)', () => {
  const cases = [
    { name: 'custom controller', refs: [ref('chipmunks/v1', 'Custom', 'simon', 'o', true)], want: true },
    {
      name: 'custom non-controller',
      refs: [ref('chipmunks/v1', 'Custom', 'simon', 'o', false)],
      want: false,
    },
    { name: 'custom, controller unset', refs: [ref('chipmunks/v1', 'Custom', 'simon', 'o')], want: false },
    { name: 'another pod as controller', refs: [ref('v1', 'Pod', 'simon', 'o', true)], want: true },
    { name: 'own set controller', refs: [setRef()], want: false },
    { name: 'own set name, stale UID', refs: [setRef('stale')], want: true },
    { name: 'own pod controller', refs: [podRef(1)], want: false },
    { name: 'own pod name, stale UID', refs: [podRef(1, 'stale')], want: true },
    {
      name: 'own pod and another controller',
      refs: [podRef(1), ref('c/v1', 'C', 's', 'o', true)],
      want: true,
    },
    {
      name: 'own pod and a non-controller',
      refs: [podRef(1), ref('c/v1', 'C', 's', 'o', false)],
      want: false,
    },
  ];
  const set = statefulSet();
  const pod = statefulPod(set, 1);
  for (const c of cases) {
    it(c.name, () => {
      const target = withRefs(c.refs);
      assert.equal(
        hasUnexpectedController(target, setOwner(set), podOwner(pod), {
          whenScaled: 'Retain',
          whenDeleted: 'Retain',
        }),
        false,
        'Retain/Retain: any controller is fine',
      );
      for (const [whenScaled, whenDeleted] of [
        ['Delete', 'Retain'],
        ['Retain', 'Delete'],
        ['Delete', 'Delete'],
      ] as const) {
        assert.equal(
          hasUnexpectedController(target, setOwner(set), podOwner(pod), { whenScaled, whenDeleted }),
          c.want,
        );
      }
    });
  }
});

describe('hasNonControllerOwner', () => {
  const set = statefulSet();
  const pod = statefulPod(set, 1);
  const cases = [
    { name: 'both controllers', refs: [podRef(1), setRef()], want: false },
    { name: 'set controller, pod not', refs: [podRef(1, undefined, false), setRef()], want: true },
    { name: 'pod controller, set not', refs: [podRef(1), setRef('web-uid', false)], want: true },
    { name: 'set controller only', refs: [setRef()], want: false },
    { name: 'nothing', refs: [], want: false },
    { name: 'set ref with controller unset', refs: [ref('x', 'y', 'web', 'web-uid')], want: true },
    {
      name: 'a non-controller with some other UID',
      refs: [ref('v1', 'Pod', 'web-1', 'not-matching')],
      want: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(hasNonControllerOwner(withRefs(c.refs), setOwner(set), podOwner(pod)), c.want);
    });
  }
});

describe('hasStaleOwnerRef', () => {
  const target = claim('c', [ref('v1', 'Pod', 'bob', '123'), ref('v1', 'Pod', 'shirley', '456')]);
  const owner = (name: string, uid: string) => ({ apiVersion: 'v1', kind: 'Pod', name, uid });
  it('same name and UID: not stale; same name, other UID: stale; not named: not stale', () => {
    assert.equal(hasStaleOwnerRef(target, owner('bob', '123')), false);
    assert.equal(hasStaleOwnerRef(target, owner('shirley', '789')), true);
    assert.equal(hasStaleOwnerRef(target, owner('yvonne', '345')), false);
  });
});

describe('hasStaleClaim (whether a missing pod may be created)', () => {
  const set = policySet('Delete', 'Retain', 3);
  const cases = [
    { name: 'no claim yet', claims: [], want: false },
    { name: 'claim without refs', claims: [claim('datadir-web-1')], want: false },
    {
      name: 'claim still owned by the previous web-1',
      claims: [claim('datadir-web-1', [podRef(1, 'old')])],
      want: true,
    },
    { name: 'claim owned by another pod name', claims: [claim('datadir-web-1', [podRef(2)])], want: false },
    { name: 'claim owned by the set', claims: [claim('datadir-web-1', [setRef()])], want: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(hasStaleClaim(set, 1, claimMap(...c.claims), 'web-1'), c.want);
    });
  }
  it('never with whenScaled Retain (claims are meant to be reused)', () => {
    const retain = policySet('Retain', 'Delete', 3);
    assert.equal(
      hasStaleClaim(retain, 1, claimMap(claim('datadir-web-1', [podRef(1, 'old')])), 'web-1'),
      false,
    );
  });
});

describe('missingClaims', () => {
  const set = statefulSet({ claims: ['datadir', 'logs'] });
  it('absent claims are created, existing ones never touched, deleting ones block', () => {
    const result = missingClaims(
      set,
      0,
      claimMap(claim('datadir-web-0', [], true), claim('logs-web-1'), claim('datadir-web-1')),
    );
    assert.deepEqual(
      result.create.map((c) => c.metadata?.name),
      ['logs-web-0'],
    );
    assert.deepEqual(result.beingDeleted, ['datadir-web-0']);
    assert.deepEqual(missingClaims(set, 1, claimMap(claim('logs-web-1'), claim('datadir-web-1'))), {
      create: [],
      beingDeleted: [],
    });
    assert.equal(new ClaimBeingDeletedError(['datadir-web-0']).message, 'pvc datadir-web-0 is being deleted');
  });
});

describe('claimsMatchRetentionPolicy / retentionUpdates', () => {
  const set = policySet('Delete', 'Delete', 2);
  it('missing claims count as matching (picked up once they exist)', () => {
    assert.equal(claimsMatchRetentionPolicy(set, statefulPod(set, 1), claimMap()), true);
  });
  it('a condemned pod: its claim moves from the set to the pod', () => {
    const pod = statefulPod(set, 3);
    const claims = claimMap(claim('datadir-web-3', [setRef()]));
    assert.equal(claimsMatchRetentionPolicy(set, pod, claims), false);
    const update = retentionUpdates(set, pod, claims);
    assert.deepEqual(update.conflicting, []);
    assert.deepEqual(
      update.claims.map((c) => c.metadata?.ownerReferences),
      [[{ ...podRef(3), blockOwnerDeletion: true }]],
    );
  });
  it('another controller: our refs scrubbed and a ConflictingController warning', () => {
    const pod = statefulPod(set, 1);
    const foreign = ref('example.com/v1', 'Owner', 'o', 'o-uid', true);
    const update = retentionUpdates(set, pod, claimMap(claim('datadir-web-1', [foreign, setRef()])));
    assert.deepEqual(update.conflicting, ['datadir-web-1']);
    assert.deepEqual(update.claims[0]?.metadata?.ownerReferences, [foreign]);
    // Once scrubbed, nothing to write, but the warning stays.
    const again = retentionUpdates(set, pod, claimMap(claim('datadir-web-1', [foreign])));
    assert.deepEqual([again.claims.length, again.conflicting], [0, ['datadir-web-1']]);
    assert.equal(
      conflictingControllerMessage('datadir-web-1'),
      'PersistentVolumeClaim datadir-web-1 has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim',
    );
  });
  it('a policy change relabels existing claims: Retain/Retain drops our refs', () => {
    const retain = policySet('Retain', 'Retain', 2);
    const update = retentionUpdates(
      retain,
      statefulPod(retain, 1),
      claimMap(claim('datadir-web-1', [setRef()])),
    );
    assert.deepEqual(update.claims[0]?.metadata?.ownerReferences, []);
  });
});
