import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import { Store, byControllerUid, byNamespace } from '../../../sdk/informer/store.ts';

const obj = (
  namespace: string,
  name: string,
  rv: string,
  extra: Partial<KubernetesObject['metadata']> = {},
): KubernetesObject => ({
  metadata: { namespace, name, resourceVersion: rv, ...extra },
});

describe('Store', () => {
  it('indexes by namespace, controller owner and custom functions, and keeps indexes current', () => {
    const store = new Store<KubernetesObject>({ namespace: byNamespace, controller: byControllerUid });
    store.addIndexer('team', (o) => (o.metadata?.labels?.['team'] ? [o.metadata.labels['team']] : []));
    const owned = {
      ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'o', uid: 'u1', controller: true }],
    };
    store.upsert(obj('a', 'one', '1', { ...owned, labels: { team: 'red' } }));
    store.upsert(obj('a', 'two', '2', { labels: { team: 'blue' } }));
    store.upsert(obj('b', 'three', '3', owned));
    assert.deepEqual(
      store
        .byIndex('namespace', 'a')
        .map((o) => o.metadata?.name)
        .sort(),
      ['one', 'two'],
    );
    assert.deepEqual(
      store
        .byIndex('controller', 'u1')
        .map((o) => o.metadata?.name)
        .sort(),
      ['one', 'three'],
    );
    store.upsert(obj('a', 'one', '4', { labels: { team: 'blue' } }));
    assert.deepEqual(
      store.byIndex('controller', 'u1').map((o) => o.metadata?.name),
      ['three'],
    );
    assert.deepEqual(
      store
        .byIndex('team', 'blue')
        .map((o) => o.metadata?.name)
        .sort(),
      ['one', 'two'],
    );
    assert.deepEqual(store.byIndex('team', 'red'), []);
    store.remove('b/three');
    assert.deepEqual(store.byIndex('controller', 'u1'), []);
    assert.throws(() => store.byIndex('nope', 'x'), /no index named "nope"/);
  });

  it('replace reports added, updated (by resourceVersion) and removed objects', () => {
    const store = new Store<KubernetesObject>();
    store.replace([obj('a', 'keep', '1'), obj('a', 'change', '1'), obj('a', 'gone', '1')]);
    const result = store.replace([obj('a', 'keep', '1'), obj('a', 'change', '2'), obj('a', 'new', '1')]);
    assert.deepEqual(
      result.added.map((o) => o.metadata?.name),
      ['new'],
    );
    assert.deepEqual(
      result.updated.map(
        (u) => `${u.previous.metadata?.resourceVersion}->${u.object.metadata?.resourceVersion}`,
      ),
      ['1->2'],
    );
    assert.deepEqual(
      result.removed.map((o) => o.metadata?.name),
      ['gone'],
    );
    assert.deepEqual(store.keys().sort(), ['a/change', 'a/keep', 'a/new']);
  });
});
