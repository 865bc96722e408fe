import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WaitTimeoutError, waitUntil } from '../../../sdk/testing/wait-until.ts';

describe('waitUntil', () => {
  it('returns the first truthy result', async () => {
    let calls = 0;
    const value = await waitUntil(() => (++calls >= 3 ? `after ${calls}` : undefined), {
      what: 'x',
      timeoutMs: 5_000,
      intervalMs: 1,
    });
    assert.equal(value, 'after 3');
  });

  it('reports what it waited for and the last error on timeout', async () => {
    await assert.rejects(
      waitUntil(
        () => {
          throw new Error('connection refused');
        },
        { what: 'the thing', timeoutMs: 20, intervalMs: 5 },
      ),
      (error: unknown) =>
        error instanceof WaitTimeoutError &&
        /waiting for the thing \(last error: connection refused\)/.test(error.message),
    );
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort(new Error('component exited'));
    }, 10);
    await assert.rejects(
      waitUntil(() => false, { what: 'never', timeoutMs: 60_000, intervalMs: 1, signal: controller.signal }),
      /component exited/,
    );
  });
});
