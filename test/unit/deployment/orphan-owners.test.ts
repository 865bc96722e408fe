import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ownersOfOrphan, type SelectingOwner } from '../../../operators/deployment/logic/orphan-owners.ts';

const owner = (name: string, matchLabels: Record<string, string>, namespace = 'ns'): SelectingOwner => ({
  metadata: { name, namespace },
  spec: { selector: { matchLabels } },
});
const child = (
  labels: Record<string, string>,
  refs: { uid: string; controller?: boolean }[] = [],
  namespace = 'ns',
): KubernetesObject => ({
  metadata: {
    name: 'rs',
    namespace,
    labels,
    ownerReferences: refs.map((r) => ({ apiVersion: 'v1', kind: 'Deployment', name: r.uid, ...r })),
  },
});

describe('ownersOfOrphan', () => {
  const owners = [owner('a', { app: 'a' }), owner('b', { app: 'a', tier: 'web' }), owner('c', { app: 'c' })];
  const names = (found: SelectingOwner[]) => found.map((o) => o.metadata?.name);

  it('finds every owner in the namespace whose selector matches the orphan', () => {
    assert.deepEqual(names(ownersOfOrphan(child({ app: 'a', tier: 'web' }), owners)), ['a', 'b']);
    assert.deepEqual(names(ownersOfOrphan(child({ app: 'a' }, [], 'other'), owners)), []);
  });
  it('counts a child with only non-controller references (ours or foreign) as an orphan (scenario 20)', () => {
    assert.deepEqual(
      names(ownersOfOrphan(child({ app: 'c' }, [{ uid: 'c-uid', controller: false }]), owners)),
      ['c'],
    );
    assert.deepEqual(names(ownersOfOrphan(child({ app: 'c' }, [{ uid: 'configmap' }]), owners)), ['c']);
  });
  it('leaves a controlled child to its controller', () => {
    assert.deepEqual(ownersOfOrphan(child({ app: 'a' }, [{ uid: 'x', controller: true }]), owners), []);
  });
  it('never wakes an owner with an empty selector', () => {
    assert.deepEqual(ownersOfOrphan(child({ app: 'a' }), [owner('all', {})]), []);
  });
});
