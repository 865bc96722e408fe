import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import { NEVER } from 'rxjs';
import { CacheSyncTimeoutError, Informer } from '../../../sdk/informer/informer.ts';
import type { ListerWatcher } from '../../../sdk/informer/reflector.ts';

class Refused extends Error {
  override readonly name = 'Refused';
}

/** Every list fails with Refused. */
const refusingApi: ListerWatcher<KubernetesObject> = {
  list: () => Promise.reject(new Refused('no')),
  watch: () => NEVER,
};

const quickRetries = { backoff: { initialMs: 1, maxMs: 5, factor: 2, jitter: 0 } };

describe('Informer.waitForSync', () => {
  it('ends with the failFast error once it asks, counting failed lists in a row', async () => {
    const informer = new Informer(refusingApi, quickRetries);
    informer.start();
    const seen: number[] = [];
    try {
      await assert.rejects(
        informer.waitForSync(10_000, 'refused', {
          failFast: ({ error, consecutiveFailures }) => {
            seen.push(consecutiveFailures);
            return error instanceof Refused && consecutiveFailures >= 3 ? new Error('gave up') : undefined;
          },
        }),
        /^Error: gave up$/,
      );
      assert.deepEqual(seen, [1, 2, 3]);
    } finally {
      await informer.stop();
    }
  });

  it('ends with the signal’s reason when it aborts, and still times out without one', async () => {
    const informer = new Informer(refusingApi, quickRetries);
    informer.start();
    try {
      const stop = new AbortController();
      const waiting = informer.waitForSync(10_000, 'refused', { signal: stop.signal });
      stop.abort(new Error('interrupted'));
      await assert.rejects(waiting, /^Error: interrupted$/);
      await assert.rejects(informer.waitForSync(20, 'refused'), CacheSyncTimeoutError);
    } finally {
      await informer.stop();
    }
  });
});
