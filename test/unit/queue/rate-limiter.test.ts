import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../sdk/clock/fake-clock.ts';
import {
  BucketRateLimiter,
  ItemExponentialRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
} from '../../../sdk/queue/rate-limiter.ts';
import { backoffDelay } from '../../../sdk/ratelimit/backoff.ts';

describe('rate limiters', () => {
  it('item exponential: 5 ms doubling to a 1000 s cap, per key', () => {
    const limiter = new ItemExponentialRateLimiter<string>(5, 1_000_000);
    const delays = Array.from({ length: 20 }, () => limiter.when('a'));
    assert.deepEqual(delays.slice(0, 5), [5, 10, 20, 40, 80]);
    assert.equal(delays[17], 655_360);
    assert.equal(delays[18], 1_000_000);
    assert.equal(delays[19], 1_000_000);
    assert.equal(limiter.when('b'), 5, 'keys are independent');
    for (let i = 0; i < 2000; i++) limiter.when('c');
    assert.equal(limiter.when('c'), 1_000_000, 'no overflow after many failures');
  });

  it('token bucket: burst immediately, then qps-spaced slots, refilling over time', async () => {
    const clock = new FakeClock();
    const limiter = new BucketRateLimiter<string>(10, 100, clock);
    const burst = Array.from({ length: 100 }, () => limiter.when());
    assert.ok(burst.every((d) => d === 0));
    assert.deepEqual([limiter.when(), limiter.when(), limiter.when()], [100, 200, 300]);
    await clock.advance(10_000);
    assert.equal(limiter.when(), 0, 'refilled after 10 s');
  });

  it('max-of takes the longest delay; the default is 5 ms per item under a 10 qps bucket', () => {
    const clock = new FakeClock();
    const limiter = defaultControllerRateLimiter(clock);
    assert.equal(limiter.when('x'), 5);
    assert.equal(limiter.when('x'), 10);
    const combined = new MaxOfRateLimiter<string>(
      new ItemExponentialRateLimiter(1000, 10_000),
      new ItemExponentialRateLimiter(5, 10),
    );
    assert.equal(combined.when('k'), 1000);
    assert.equal(combined.numRequeues('k'), 1);
  });

  it('reflector backoff: 800 ms doubling to 30 s with bounded jitter', () => {
    const policy = { initialMs: 800, maxMs: 30_000, jitter: 0.5 };
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(policy, n, () => 0)),
      [800, 1600, 3200, 6400, 12_800, 25_600, 30_000],
    );
    assert.equal(
      backoffDelay(policy, 0, () => 1),
      1200,
    );
    assert.equal(
      backoffDelay(policy, 10, () => 1),
      45_000,
    );
  });
});
