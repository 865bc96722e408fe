import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import { NEVER, lastValueFrom, toArray } from 'rxjs';
import { Informer, InformerStoppedError } from '../../../sdk/informer/informer.ts';
import type { ListerWatcher } from '../../../sdk/informer/reflector.ts';

/** Lists two objects, then watches forever without events. */
const quietApi: ListerWatcher<KubernetesObject> = {
  list: () =>
    Promise.resolve({
      items: [
        { metadata: { namespace: 'ns', name: 'a', resourceVersion: '1' } },
        { metadata: { namespace: 'ns', name: 'b', resourceVersion: '2' } },
      ],
      resourceVersion: '2',
    }),
  watch: () => NEVER,
};

describe('Informer', () => {
  it('replays the cache to late subscribers, completes their streams on stop, and refuses to restart', async () => {
    const informer = new Informer(quietApi);
    informer.start();
    informer.start(); // idempotent
    await informer.waitForSync(1_000);
    const seen = lastValueFrom(informer.events().pipe(toArray()));
    await informer.stop();
    assert.deepEqual(
      (await seen).map((e) => `${e.type}:${e.object.metadata?.name}:${e.fromList}`),
      ['added:a:true', 'added:b:true'],
    );
    assert.throws(() => informer.start(), InformerStoppedError);
  });
});
