import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../sdk/clock/fake-clock.ts';
import { ItemExponentialRateLimiter } from '../../../sdk/queue/rate-limiter.ts';
import { Priority, WorkQueue } from '../../../sdk/queue/work-queue.ts';

function queue(clock = new FakeClock()) {
  return new WorkQueue<string>({
    name: 'test',
    clock,
    metrics: false,
    rateLimiter: new ItemExponentialRateLimiter(5, 1_000_000),
  });
}

describe('WorkQueue', () => {
  it('dedupes a key that is already queued', async () => {
    const q = queue();
    q.add('a');
    q.add('b');
    q.add('a');
    assert.equal(q.length, 2);
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), 'b');
    assert.equal(q.length, 0);
  });

  it('never hands a key to two workers; an add during processing re-queues it once after done', async () => {
    const q = queue();
    q.add('a');
    const first = await q.get();
    assert.equal(first, 'a');
    q.add('a');
    q.add('a');
    assert.equal(q.length, 0, 'not ready while in flight');
    let second: string | undefined;
    void q.get().then((key) => (second = key));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(second, undefined, 'a waiting worker does not get the in-flight key');
    q.done('a');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(second, 'a');
    q.done('a');
    assert.equal(q.length, 0, 'the two adds during processing collapsed into one');
  });

  it('serves higher priority first, FIFO within a priority, and raises a queued key’s priority', async () => {
    const q = queue();
    q.add('low-1', { priority: Priority.LOW });
    q.add('low-2', { priority: Priority.LOW });
    q.add('normal-1');
    q.add('low-2'); // raised to NORMAL, queued after normal-1
    const order = [await q.get(), await q.get(), await q.get()];
    assert.deepEqual(order, ['normal-1', 'low-2', 'low-1']);
  });

  it('holds delayed keys until their time, and an earlier add brings them forward', async () => {
    const clock = new FakeClock();
    const q = queue(clock);
    q.addAfter('later', 1_000);
    q.addAfter('sooner', 100);
    q.addAfter('later', 5_000); // a later time never postpones an earlier one
    assert.equal(q.length, 0);
    await clock.advance(99);
    assert.equal(q.length, 0);
    await clock.advance(1);
    assert.equal(await q.get(), 'sooner');
    q.add('later'); // ready now: the pending delay is dropped
    assert.equal(await q.get(), 'later');
    await clock.advance(10_000);
    assert.equal(q.length, 0, 'the cancelled delay does not add it again');
  });

  it('backs off per item exponentially on failures and forgets on success', async () => {
    const clock = new FakeClock();
    const q = queue(clock);
    const readyAfter = async (key: string) => {
      q.addRateLimited(key);
      let waited = 0;
      while (q.length === 0) {
        await clock.advance(1);
        waited++;
      }
      assert.equal(await q.get(), key);
      q.done(key);
      return waited;
    };
    assert.deepEqual(
      [await readyAfter('k'), await readyAfter('k'), await readyAfter('k'), await readyAfter('k')],
      [5, 10, 20, 40],
    );
    assert.equal(q.numRequeues('k'), 4);
    q.forget('k');
    assert.equal(q.numRequeues('k'), 0);
    assert.equal(await readyAfter('k'), 5);
  });

  it('drain: stops handing out keys and waits for in-flight work', async () => {
    const q = queue();
    q.add('a');
    q.add('b');
    const key = await q.get();
    let waitingWorker: string | undefined = 'pending';
    q.add('a'); // dirty while in flight
    const drained = q.drain();
    void q.get().then((k) => (waitingWorker = k));
    let finished = false;
    void drained.then(() => (finished = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(waitingWorker, undefined, 'no key is handed out after shutdown');
    assert.equal(finished, false, 'drain waits for the in-flight key');
    q.done(key ?? '');
    await drained;
    assert.equal(finished, true);
    q.add('c');
    assert.equal(q.length, 1, 'b stays queued but nothing new is accepted');
  });
});
