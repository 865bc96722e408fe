import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubernetesObject, V1OwnerReference } from '@kubernetes/client-node';
import {
  claimDecision,
  ownerReferencesAfterAdoption,
  ownerReferencesAfterRelease,
} from '../../../operators/deployment/logic/adoption.ts';
import {
  InvalidLabelSelectorError,
  labelSelectorMatcher,
  matchesLabelSelector,
  selectsEverything,
} from '../../../operators/deployment/logic/label-selector.ts';

const ref = (uid: string, controller?: boolean): V1OwnerReference => ({
  apiVersion: 'apps.typerator.dev/v1',
  kind: 'Deployment',
  name: uid,
  uid,
  ...(controller === undefined ? {} : { controller }),
});
const object = (
  refs: V1OwnerReference[],
  options: { deleting?: boolean; namespace?: string } = {},
): KubernetesObject => ({
  metadata: {
    name: 'rs',
    namespace: options.namespace ?? 'ns',
    ownerReferences: refs,
    ...(options.deleting ? { deletionTimestamp: new Date() } : {}),
  },
});

describe('claimDecision', () => {
  const owner = { uid: 'me', namespace: 'ns', beingDeleted: false };
  const deletingOwner = { ...owner, beingDeleted: true };
  const cases = [
    {
      name: 'another controller: ignore',
      owner,
      obj: object([ref('other', true)]),
      matches: true,
      want: 'ignore',
    },
    { name: 'ours and matching: keep', owner, obj: object([ref('me', true)]), matches: true, want: 'keep' },
    {
      name: 'ours and matching while we are deleted: keep',
      owner: deletingOwner,
      obj: object([ref('me', true)]),
      matches: true,
      want: 'keep',
    },
    {
      name: 'ours, no longer matching: release',
      owner,
      obj: object([ref('me', true)]),
      matches: false,
      want: 'release',
    },
    {
      name: 'ours, not matching, owner deleted: ignore',
      owner: deletingOwner,
      obj: object([ref('me', true)]),
      matches: false,
      want: 'ignore',
    },
    { name: 'orphan matching: adopt', owner, obj: object([]), matches: true, want: 'adopt' },
    {
      name: 'orphan with a non-controller ref: adopt',
      owner,
      obj: object([ref('other', false)]),
      matches: true,
      want: 'adopt',
    },
    {
      name: 'our non-controller ref: adopt (flipped to controller)',
      owner,
      obj: object([ref('me', false)]),
      matches: true,
      want: 'adopt',
    },
    { name: 'orphan not matching: ignore', owner, obj: object([]), matches: false, want: 'ignore' },
    {
      name: 'orphan while we are deleted: ignore',
      owner: deletingOwner,
      obj: object([]),
      matches: true,
      want: 'ignore',
    },
    {
      name: 'orphan being deleted: ignore',
      owner,
      obj: object([], { deleting: true }),
      matches: true,
      want: 'ignore',
    },
    {
      name: 'orphan in another namespace: ignore',
      owner,
      obj: object([], { namespace: 'other' }),
      matches: true,
      want: 'ignore',
    },
  ] as const;
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(claimDecision(c.owner, c.obj, c.matches), c.want);
    });
  }
});

describe('owner reference lists', () => {
  const controllerRef = { ...ref('me', true), blockOwnerDeletion: true };
  it('scenario 20: a foreign non-controller ref is kept beside ours (2 refs)', () => {
    assert.deepEqual(ownerReferencesAfterAdoption([ref('other', false)], controllerRef), [
      ref('other', false),
      controllerRef,
    ]);
  });
  it('scenario 20: our non-controller ref becomes the controller ref (1 ref)', () => {
    assert.deepEqual(ownerReferencesAfterAdoption([ref('me', false)], controllerRef), [controllerRef]);
  });
  it('release removes only our refs', () => {
    assert.deepEqual(ownerReferencesAfterRelease([ref('other', false), controllerRef], 'me'), [
      ref('other', false),
    ]);
  });
});

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', 'example.com/team': 'a' };
  const cases = [
    { name: 'matchLabels subset', selector: { matchLabels: { app: 'web' } }, want: true },
    { name: 'matchLabels mismatch', selector: { matchLabels: { app: 'db' } }, want: false },
    {
      name: 'In',
      selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] },
      want: true,
    },
    {
      name: 'In, value absent',
      selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] },
      want: false,
    },
    {
      name: 'In, key absent',
      selector: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] },
      want: false,
    },
    {
      name: 'NotIn',
      selector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['back'] }] },
      want: true,
    },
    {
      name: 'NotIn, key absent matches',
      selector: { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] },
      want: true,
    },
    {
      name: 'NotIn, value present',
      selector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] },
      want: false,
    },
    {
      name: 'Exists',
      selector: { matchExpressions: [{ key: 'example.com/team', operator: 'Exists' }] },
      want: true,
    },
    {
      name: 'DoesNotExist',
      selector: { matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] },
      want: true,
    },
    {
      name: 'DoesNotExist, present',
      selector: { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] },
      want: false,
    },
    {
      name: 'all requirements must hold',
      selector: {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }],
      },
      want: false,
    },
    { name: 'empty selector matches everything', selector: {}, want: true },
    { name: 'absent selector matches nothing', selector: undefined, want: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(matchesLabelSelector(c.selector, labels), c.want);
    });
  }
  it('objects without labels', () => {
    assert.equal(
      matchesLabelSelector({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, undefined),
      true,
    );
    assert.equal(matchesLabelSelector({ matchLabels: { a: 'b' } }, undefined), false);
  });

  const malformed = [
    {
      name: 'unknown operator',
      selector: { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['b'] }] },
      field: 'matchExpressions[0].operator',
    },
    {
      name: 'In without values',
      selector: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] },
      field: 'matchExpressions[0].values',
    },
    {
      name: 'Exists with values',
      selector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['b'] }] },
      field: 'matchExpressions[0].values',
    },
    { name: 'bad key', selector: { matchLabels: { 'a b': 'c' } }, field: 'matchLabels[a b]' },
    { name: 'bad value', selector: { matchLabels: { a: 'b c' } }, field: 'matchLabels[a]' },
    {
      name: 'bad key prefix',
      selector: { matchExpressions: [{ key: 'UPPER/x', operator: 'Exists' }] },
      field: 'matchExpressions[0].key',
    },
  ];
  for (const c of malformed) {
    it(`rejects ${c.name}, naming the field`, () => {
      assert.throws(
        () => labelSelectorMatcher(c.selector),
        (error: unknown) =>
          error instanceof InvalidLabelSelectorError &&
          error.field === c.field &&
          error.message.includes(c.field),
      );
    });
  }

  it('selectsEverything only for a present, empty selector', () => {
    assert.equal(selectsEverything({}), true);
    assert.equal(selectsEverything({ matchLabels: {}, matchExpressions: [] }), true);
    assert.equal(selectsEverything({ matchLabels: { a: 'b' } }), false);
    assert.equal(selectsEverything(undefined), false);
  });
});
