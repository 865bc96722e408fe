import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import { resourceKind } from '../../../sdk/client/resource-kind.ts';
import { setCondition } from '../../../sdk/controller/conditions.ts';
import { mapToControllerOwner } from '../../../sdk/controller/event-source.ts';
import { AlreadyOwnedError, withControllerReference } from '../../../sdk/controller/owner-references.ts';
import {
  and,
  annotationsChanged,
  generationChanged,
  labelsChanged,
  not,
} from '../../../sdk/controller/predicates.ts';
import { requestFromKey, requestKey } from '../../../sdk/controller/reconcile.ts';
import type { InformerEvent } from '../../../sdk/informer/informer-event.ts';

const object = (meta: KubernetesObject['metadata']): KubernetesObject => ({
  metadata: { namespace: 'ns', name: 'o', ...meta },
});
const updated = (
  previous: KubernetesObject['metadata'],
  current: KubernetesObject['metadata'],
): InformerEvent<KubernetesObject> => ({
  type: 'updated',
  previous: object(previous),
  object: object(current),
  fromList: false,
});

describe('predicates', () => {
  it('generationChanged passes spec changes and drops status-only updates; adds and deletes always pass', () => {
    assert.equal(generationChanged(updated({ generation: 1 }, { generation: 2 })), true);
    assert.equal(generationChanged(updated({ generation: 2 }, { generation: 2 })), false);
    assert.equal(generationChanged({ type: 'added', object: object({}), fromList: true }), true);
    assert.equal(generationChanged({ type: 'deleted', object: object({}), fromList: false }), true);
  });

  it('labelsChanged and annotationsChanged compare content, and combinators compose', () => {
    assert.equal(labelsChanged(updated({ labels: { a: '1' } }, { labels: { a: '1' } })), false);
    assert.equal(labelsChanged(updated({ labels: { a: '1' } }, { labels: { a: '2' } })), true);
    assert.equal(annotationsChanged(updated({}, { annotations: { x: 'y' } })), true);
    const specOrLabels = and(not(generationChanged), labelsChanged);
    assert.equal(
      specOrLabels(updated({ generation: 1, labels: {} }, { generation: 1, labels: { a: 'b' } })),
      true,
    );
  });
});

describe('owner references and mapping', () => {
  const owner: KubernetesObject = {
    apiVersion: 'apps.example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'ns', uid: 'u-1' },
  };

  it('sets a controller reference, keeps other owners, replaces our own, and refuses a second controller', () => {
    const foreign = { apiVersion: 'v1', kind: 'Other', name: 'x', uid: 'u-x' };
    const child = object({
      ownerReferences: [
        foreign,
        { apiVersion: 'apps.example.com/v1', kind: 'Widget', name: 'w', uid: 'u-1', controller: false },
      ],
    });
    const owned = withControllerReference(child, owner);
    assert.deepEqual(owned.metadata?.ownerReferences, [
      foreign,
      {
        apiVersion: 'apps.example.com/v1',
        kind: 'Widget',
        name: 'w',
        uid: 'u-1',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    const other = { ...owner, metadata: { ...owner.metadata, uid: 'u-2', name: 'w2' } };
    assert.throws(() => withControllerReference(owned, other), AlreadyOwnedError);
  });

  it('owns() maps an owned object to its controller owner of the right group and kind, old and new on updates', () => {
    const map = mapToControllerOwner(resourceKind('apps.example.com/v1', 'Widget'));
    const ref = (name: string, apiVersion = 'apps.example.com/v1') => ({
      apiVersion,
      kind: 'Widget',
      name,
      uid: name,
      controller: true,
    });
    assert.deepEqual(
      map({ type: 'added', object: object({ ownerReferences: [ref('w1')] }), fromList: false }),
      [{ namespace: 'ns', name: 'w1' }],
    );
    assert.deepEqual(
      map({
        type: 'added',
        object: object({ ownerReferences: [ref('w1', 'other.example.com/v1')] }),
        fromList: false,
      }),
      [],
    );
    assert.deepEqual(map(updated({ ownerReferences: [ref('old')] }, { ownerReferences: [ref('new')] })), [
      { namespace: 'ns', name: 'new' },
      { namespace: 'ns', name: 'old' },
    ]);
  });

  it('request keys round-trip', () => {
    assert.deepEqual(requestFromKey(requestKey({ namespace: 'ns', name: 'a' })), {
      namespace: 'ns',
      name: 'a',
    });
    assert.deepEqual(requestFromKey(requestKey({ name: 'cluster-scoped' })), { name: 'cluster-scoped' });
  });
});

describe('setCondition', () => {
  it('moves lastTransitionTime only when the status changes', () => {
    const t1 = new Date('2026-01-01T00:00:00Z');
    const t2 = new Date('2026-01-01T01:00:00Z');
    const first = setCondition(
      undefined,
      { type: 'Ready', status: 'False', reason: 'Starting', message: 'starting' },
      t1,
    );
    const sameStatus = setCondition(
      first,
      { type: 'Ready', status: 'False', reason: 'Waiting', message: 'still waiting' },
      t2,
    );
    assert.equal(sameStatus[0]?.lastTransitionTime, '2026-01-01T00:00:00Z');
    assert.equal(sameStatus[0]?.reason, 'Waiting');
    const flipped = setCondition(
      sameStatus,
      { type: 'Ready', status: 'True', reason: 'Ready', message: 'ok' },
      t2,
    );
    assert.equal(flipped[0]?.lastTransitionTime, '2026-01-01T01:00:00Z');
    assert.equal(flipped.length, 1);
  });
});
