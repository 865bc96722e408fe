import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  runInSlowStartBatches,
  slowStartBatchSizes,
} from '../../../operators/deployment/logic/slow-start.ts';

describe('slowStartBatchSizes', () => {
  const cases = [
    { count: 10, want: [1, 2, 4, 3] },
    { count: 1, want: [1] },
    { count: 0, want: [] },
    { count: 7, want: [1, 2, 4] },
    { count: 500, want: [1, 2, 4, 8, 16, 32, 64, 128, 245] },
  ];
  for (const c of cases) {
    it(`${c.count} → ${c.want.join(', ') || 'none'}`, () => {
      assert.deepEqual(slowStartBatchSizes(c.count), c.want);
    });
  }
  it('honours another initial size', () => {
    assert.deepEqual(slowStartBatchSizes(10, 3), [3, 6, 1]);
  });
  it('caps each batch at max (a StatefulSet: 500)', () => {
    assert.deepEqual(slowStartBatchSizes(1500, 1, 500), [1, 2, 4, 8, 16, 32, 64, 128, 256, 500, 489]);
    assert.deepEqual(slowStartBatchSizes(10, 1, 3), [1, 2, 3, 3, 1]);
  });
});

describe('runInSlowStartBatches', () => {
  /** Records which batch each call belongs to; the calls numbered in `failing` reject. */
  const recorder = (failing: Set<number>) => {
    let calls = 0;
    let inFlight = 0;
    const batches: number[] = [];
    const attempt = async () => {
      const call = ++calls;
      inFlight++;
      // Calls of one batch run concurrently: all are in flight before any settles.
      await Promise.resolve();
      batches.push(inFlight);
      await Promise.resolve();
      inFlight = 0;
      if (failing.has(call)) throw new Error(`create ${call} failed: exceeded quota`);
    };
    return { attempt, calls: () => calls, batches };
  };

  it('scenario 24: the 3rd create fails → batches of 1 and 2, then stop', async () => {
    const r = recorder(new Set([3]));
    const result = await runInSlowStartBatches(10, r.attempt);
    assert.equal(r.calls(), 3);
    assert.deepEqual(r.batches, [1, 2, 2]);
    assert.equal(result.successes, 2);
    assert.equal(result.skipped, 7);
    assert.match(String(result.error), /create 3 failed/);
  });

  it('all succeed: 10 creates in batches 1, 2, 4, 3', async () => {
    const r = recorder(new Set());
    const result = await runInSlowStartBatches(10, r.attempt);
    assert.equal(r.calls(), 10);
    assert.deepEqual(r.batches, [1, 2, 2, 4, 4, 4, 4, 3, 3, 3]);
    assert.deepEqual(result, { successes: 10, skipped: 0 });
  });

  it('passes each call its index, batch after batch, and honours max', async () => {
    const seen: number[] = [];
    const result = await runInSlowStartBatches(
      6,
      async (index) => {
        seen.push(index);
        await Promise.resolve();
      },
      1,
      2,
    );
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(result, { successes: 6, skipped: 0 });
  });

  it('the first call failing stops everything', async () => {
    const r = recorder(new Set([1]));
    const result = await runInSlowStartBatches(5, r.attempt);
    assert.deepEqual([r.calls(), result.successes, result.skipped], [1, 0, 4]);
  });
});
