import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import { Subject } from 'rxjs';
import { FakeClock } from '../../../sdk/clock/fake-clock.ts';
import { ConnectionError, GoneError } from '../../../sdk/client/errors.ts';
import type { ListResult, WatchOptions } from '../../../sdk/client/resource-client.ts';
import type { WatchEvent } from '../../../sdk/client/watch-stream.ts';
import type { InformerEvent } from '../../../sdk/informer/informer-event.ts';
import { Reflector, type ListerWatcher } from '../../../sdk/informer/reflector.ts';
import { Store } from '../../../sdk/informer/store.ts';

const cm = (name: string, rv: string): KubernetesObject => ({
  metadata: { namespace: 'ns', name, resourceVersion: rv },
});
const bookmark = (rv: string): WatchEvent<KubernetesObject> => ({
  type: 'BOOKMARK',
  object: { metadata: { resourceVersion: rv } },
});
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A scripted apiserver: lists return `items`, each watch is a Subject the test drives. */
class FakeApi implements ListerWatcher<KubernetesObject> {
  items: KubernetesObject[] = [];
  listResourceVersion = '10';
  lists = 0;
  readonly watches: { options: WatchOptions; events: Subject<WatchEvent<KubernetesObject>> }[] = [];
  list(): Promise<ListResult<KubernetesObject>> {
    this.lists++;
    return Promise.resolve({ items: [...this.items], resourceVersion: this.listResourceVersion });
  }
  watch(options: WatchOptions) {
    const events = new Subject<WatchEvent<KubernetesObject>>();
    this.watches.push({ options, events });
    return events.asObservable();
  }
  get current() {
    const last = this.watches.at(-1);
    if (!last) throw new Error('no watch open');
    return last;
  }
}

function setup(items: KubernetesObject[] = []) {
  const api = new FakeApi();
  api.items = items; // the first LIST is sent as soon as run() starts
  const clock = new FakeClock();
  const store = new Store<KubernetesObject>();
  const events: InformerEvent<KubernetesObject>[] = [];
  let synced = 0;
  const reflector = new Reflector(
    api,
    store,
    (batch) => events.push(...batch),
    () => synced++,
    {
      clock,
      random: () => 0, // no jitter: delays are exact
    },
  );
  const abort = new AbortController();
  const running = reflector.run(abort.signal);
  return { api, clock, store, events, reflector, abort, running, synced: () => synced };
}

describe('Reflector', () => {
  it('lists, watches from the list version, and resumes from the last event or bookmark when a watch ends', async () => {
    const t = setup([cm('a', '5')]);
    await tick();
    assert.equal(t.api.lists, 1);
    assert.equal(t.synced(), 1);
    assert.equal(t.api.current.options.resourceVersion, '10');
    assert.equal(t.api.current.options.allowWatchBookmarks, true);
    const timeout = t.api.current.options.timeoutSeconds ?? 0;
    assert.ok(timeout >= 300 && timeout <= 600, `watch timeout ${timeout}s is in [300, 600]`);

    t.api.current.events.next({ type: 'ADDED', object: cm('b', '11') });
    t.api.current.events.next({ type: 'MODIFIED', object: cm('a', '12') });
    t.api.current.events.next(bookmark('20'));
    t.api.current.events.complete(); // the server's timeout
    await tick();
    assert.equal(t.api.watches.length, 2);
    assert.equal(t.api.current.options.resourceVersion, '20', 'resumes from the bookmark');
    assert.equal(t.api.lists, 1, 'no relist');

    t.api.current.events.next({ type: 'DELETED', object: cm('b', '21') });
    t.api.current.events.error(new ConnectionError({ method: 'WATCH', path: '/x' }, new Error('reset')));
    await tick();
    assert.equal(t.api.watches.length, 2, 'waits for the backoff before rewatching');
    await t.clock.advance(800);
    assert.equal(t.api.watches.length, 3);
    assert.equal(t.api.current.options.resourceVersion, '21');
    assert.equal(t.api.lists, 1);
    assert.deepEqual(
      t.events.map((e) => `${e.type}:${e.object.metadata?.name}`),
      ['added:a', 'added:b', 'updated:a', 'deleted:b'],
    );
    t.abort.abort();
    await t.running;
  });

  it('relists on 410 Gone after a backoff, emitting synthetic deletes for vanished objects', async () => {
    const t = setup([cm('keep', '1'), cm('vanish', '2')]);
    await tick();
    t.api.items = [cm('keep', '1'), cm('new', '30')];
    t.api.listResourceVersion = '40';
    t.api.current.events.error(
      new GoneError(
        410,
        { reason: 'Expired', message: 'too old resource version' },
        { method: 'WATCH', path: '/x' },
      ),
    );
    await tick();
    assert.equal(t.api.lists, 1, 'no relist before the backoff');
    await t.clock.advance(800);
    await tick();
    assert.equal(t.api.lists, 2);
    const relisted = t.events.slice(2);
    assert.deepEqual(
      relisted.map((e) => `${e.type}:${e.object.metadata?.name}:${e.fromList}`),
      ['deleted:vanish:true', 'added:new:true'],
    );
    assert.equal(t.api.current.options.resourceVersion, '40');
    assert.deepEqual(t.store.keys().sort(), ['ns/keep', 'ns/new']);
    t.abort.abort();
    await t.running;
  });

  it('backs off exponentially while the apiserver is unreachable, without relisting', async () => {
    const t = setup();
    await tick();
    const gaps: number[] = [];
    for (let failure = 0; failure < 6; failure++) {
      const watchesBefore = t.api.watches.length;
      t.api.current.events.error(new ConnectionError({ method: 'WATCH', path: '/x' }, new Error('refused')));
      await tick(); // let the reflector schedule its backoff timer
      let waited = 0;
      while (t.api.watches.length === watchesBefore) {
        await t.clock.advance(100);
        waited += 100;
      }
      gaps.push(waited);
    }
    assert.deepEqual(gaps, [800, 1600, 3200, 6400, 12_800, 25_600]);
    assert.equal(t.api.lists, 1);
    t.abort.abort();
    await t.running;
  });

  it('uses a streaming list when asked: gathers initial events until the end bookmark, then applies them as a list', async () => {
    const api = new FakeApi();
    const store = new Store<KubernetesObject>();
    const events: InformerEvent<KubernetesObject>[] = [];
    let synced = false;
    const reflector = new Reflector(
      api,
      store,
      (batch) => events.push(...batch),
      () => (synced = true),
      {
        clock: new FakeClock(),
        initialList: 'stream',
      },
    );
    const abort = new AbortController();
    const running = reflector.run(abort.signal);
    await tick();
    assert.equal(api.lists, 0);
    assert.equal(api.current.options.sendInitialEvents, true);
    assert.equal(api.current.options.resourceVersionMatch, 'NotOlderThan');
    api.current.events.next({ type: 'ADDED', object: cm('a', '3') });
    api.current.events.next({ type: 'ADDED', object: cm('b', '4') });
    assert.equal(synced, false);
    assert.equal(store.size, 0, 'nothing applied before the end bookmark');
    api.current.events.next({
      type: 'BOOKMARK',
      object: { metadata: { resourceVersion: '9', annotations: { 'k8s.io/initial-events-end': 'true' } } },
    });
    assert.equal(synced, true);
    assert.equal(store.size, 2);
    api.current.events.next({ type: 'ADDED', object: cm('c', '10') });
    assert.deepEqual(
      events.map((e) => `${e.object.metadata?.name}:${e.fromList}`),
      ['a:true', 'b:true', 'c:false'],
    );
    abort.abort();
    await running;
  });
});
