import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { pino } from 'pino';
import { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { Informer } from '../../../sdk/informer/informer.ts';
import type { InformerEvent } from '../../../sdk/informer/informer-event.ts';
import { listerWatcher } from '../../../sdk/informer/informer-cache.ts';
import { startControlPlane, waitUntil, type ControlPlane } from '../../../sdk/testing/index.ts';
import { etcdCompact, etcdDelete } from '../../support/etcd.ts';

const fastBackoff = { initialMs: 200, maxMs: 2_000, jitter: 0.5 };

/** Client and reflector debug logs, kept in memory so a failure can show what the informer did. */
const logLines: string[] = [];
const logger = pino({ level: 'debug' }, { write: (line: string) => logLines.push(line) });

/** Runs `step`; if it fails, its error carries the debug log written meanwhile. */
async function withLog(step: () => Promise<void>): Promise<void> {
  const from = logLines.length;
  try {
    await step();
  } catch (error) {
    const log = logLines.slice(from).join('');
    if (error instanceof Error) error.message += `\n--- informer log ---\n${log}`;
    throw error;
  }
}

describe('informer against a real apiserver', () => {
  let plane: ControlPlane;
  let client: Client;
  before(async () => {
    plane = await startControlPlane();
    client = await Client.fromKubeConfig(plane.kubeConfig(), { logger });
  });
  after(async () => {
    client.close();
    await plane.stop();
  });

  async function namespace(name: string): Promise<string> {
    await client.resource(kinds.Namespace).create({ metadata: { name } });
    return name;
  }

  /** Waits until the informer's store holds exactly what a fresh list returns (keys and versions). */
  async function storeMatchesFreshList(informer: Informer<V1ConfigMap>, ns: string): Promise<void> {
    await waitUntil(
      async () => {
        const fresh = await client.resource(kinds.ConfigMap).listAll({ namespace: ns });
        const want = fresh.items.map((o) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`).sort();
        const have = informer.store
          .list()
          .map((o) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`)
          .sort();
        return JSON.stringify(want) === JSON.stringify(have);
      },
      { what: 'the store to equal a fresh list', timeoutMs: 30_000, intervalMs: 100 },
    );
  }

  /**
   * The informer's first list asks for resourceVersion 0, which the apiserver may answer from a
   * watch cache that lags behind the latest writes. Tests that expect objects in that first list wait
   * until the cache holds them.
   */
  async function watchCacheHolds(ns: string, names: readonly string[]): Promise<void> {
    await waitUntil(
      async () => {
        const cached = await client.resource(kinds.ConfigMap).list({ namespace: ns, resourceVersion: '0' });
        const have = new Set(cached.items.map((o) => o.metadata?.name));
        return names.every((name) => have.has(name));
      },
      { what: `the watch cache to hold ${names.join(', ')}`, timeoutMs: 30_000, intervalMs: 50 },
    );
  }

  it('sees creates, updates and deletes, and its store equals a fresh list', async () => {
    const ns = await namespace('informer-basic');
    const maps = client.resource(kinds.ConfigMap);
    await maps.create({ metadata: { name: 'pre-existing', namespace: ns }, data: { v: '0' } });
    await watchCacheHolds(ns, ['pre-existing']);
    const informer = new Informer<V1ConfigMap>(listerWatcher(client, kinds.ConfigMap, { namespace: ns }));
    const events: InformerEvent<V1ConfigMap>[] = [];
    const subscription = informer.events().subscribe((e) => events.push(e));
    informer.start();
    try {
      await informer.waitForSync(30_000);
      await maps.create({ metadata: { name: 'a', namespace: ns }, data: { v: '1' } });
      await maps.patch({ namespace: ns, name: 'a' }, { data: { v: '2' } }, { type: 'merge' });
      await maps.delete({ namespace: ns, name: 'pre-existing' });
      await waitUntil(() => events.length >= 4, { what: '4 events', timeoutMs: 30_000 });
      assert.deepEqual(
        events.map((e) => `${e.type}:${e.object.metadata?.name}:${e.fromList}`),
        ['added:pre-existing:true', 'added:a:false', 'updated:a:false', 'deleted:pre-existing:false'],
      );
      const updated = events[2];
      assert.ok(updated?.type === 'updated');
      assert.equal(updated.previous.data?.['v'], '1');
      assert.equal(updated.object.data?.['v'], '2');
      assert.equal(
        informer.store.getByName(ns, 'a')?.metadata?.managedFields,
        undefined,
        'managedFields are stripped',
      );
      await storeMatchesFreshList(informer, ns);
    } finally {
      subscription.unsubscribe();
      await informer.stop();
    }
  });

  it('resumes after the apiserver is killed and restarted, losing no event and without a relist storm', async () => {
    const ns = await namespace('informer-restart');
    const maps = client.resource(kinds.ConfigMap);
    for (let i = 0; i < 20; i++)
      await maps.create({ metadata: { name: `cm-${i}`, namespace: ns }, data: { i: String(i) } });
    const informer = new Informer<V1ConfigMap>(listerWatcher(client, kinds.ConfigMap, { namespace: ns }), {
      backoff: fastBackoff,
      logger,
    });
    informer.start();
    try {
      await withLog(async () => {
        await informer.waitForSync(30_000);
        const listsBefore = informer.reflector.listCount;
        await plane.restart('kube-apiserver');
        for (let i = 20; i < 30; i++)
          await maps.create({ metadata: { name: `cm-${i}`, namespace: ns }, data: { i: String(i) } });
        for (let i = 0; i < 5; i++)
          await maps.patch(
            { namespace: ns, name: `cm-${i}` },
            { data: { i: `changed-${i}` } },
            { type: 'merge' },
          );
        for (let i = 5; i < 10; i++) await maps.delete({ namespace: ns, name: `cm-${i}` });
        await storeMatchesFreshList(informer, ns);
        assert.equal(informer.store.size, 25);
        const relists = informer.reflector.listCount - listsBefore;
        assert.ok(relists <= 1, `expected at most one relist after a restart, saw ${relists}`);
      });
    } finally {
      await informer.stop();
    }
  });

  it('relists once on 410 Gone and emits synthetic deletes for objects removed meanwhile', async () => {
    const ns = await namespace('informer-gone');
    const maps = client.resource(kinds.ConfigMap);
    for (const name of ['keep', 'vanish']) await maps.create({ metadata: { name, namespace: ns } });
    // The informer must have known 'vanish' for its disappearance to be a delete.
    await watchCacheHolds(ns, ['keep', 'vanish']);
    const informer = new Informer<V1ConfigMap>(listerWatcher(client, kinds.ConfigMap, { namespace: ns }), {
      backoff: fastBackoff,
      logger,
    });
    const events: InformerEvent<V1ConfigMap>[] = [];
    const subscription = informer.events().subscribe((e) => events.push(e));
    informer.start();
    try {
      await withLog(async () => {
        await informer.waitForSync(30_000);
        assert.deepEqual(informer.store.keys().sort(), [`${ns}/keep`, `${ns}/vanish`]);
        const listsBefore = informer.reflector.listCount;
        // With the apiserver down, remove an object in etcd and compact history: the informer's
        // resourceVersion can no longer be resumed, and only a relist can notice the deletion.
        plane.component('kube-apiserver')?.kill('SIGKILL');
        await plane.component('kube-apiserver')?.exited;
        assert.equal(await etcdDelete(plane.etcdUrl, `/registry/configmaps/${ns}/vanish`), 1);
        await maps.create({ metadata: { name: 'unused', namespace: 'default' } }).catch(() => undefined);
        await etcdCompact(plane.etcdUrl);
        await plane.restart('kube-apiserver');
        await waitUntil(
          () => events.some((e) => e.type === 'deleted' && e.object.metadata?.name === 'vanish'),
          {
            what: 'a synthetic delete for the vanished object',
            timeoutMs: 60_000,
          },
        );
        const deleted = events.find((e) => e.type === 'deleted');
        assert.equal(deleted?.fromList, true);
        assert.equal(informer.reflector.listCount - listsBefore, 1, 'exactly one relist');
        await storeMatchesFreshList(informer, ns);
        assert.deepEqual(informer.store.keys(), [`${ns}/keep`]);
      });
    } finally {
      subscription.unsubscribe();
      await informer.stop();
    }
  });
});
