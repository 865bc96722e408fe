import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../sdk/clock/fake-clock.ts';
import { Expectations } from '../../../sdk/controller/expectations.ts';

describe('Expectations', () => {
  it('is unsatisfied until every expected creation and deletion has been observed', () => {
    const expectations = new Expectations({ clock: new FakeClock() });
    assert.equal(expectations.satisfied('ns/rs'), true);
    expectations.expectCreations('ns/rs', 2);
    expectations.expectDeletions('ns/rs', ['ns/pod-a']);
    assert.equal(expectations.satisfied('ns/rs'), false);
    expectations.creationObserved('ns/rs');
    expectations.creationObserved('ns/rs');
    assert.equal(expectations.satisfied('ns/rs'), false, 'a deletion is still outstanding');
    expectations.deletionObserved('ns/rs', 'ns/pod-other');
    assert.equal(expectations.satisfied('ns/rs'), false, 'only the expected object counts');
    expectations.deletionObserved('ns/rs', 'ns/pod-a');
    assert.equal(expectations.satisfied('ns/rs'), true);
    assert.equal(expectations.satisfied('ns/other'), true, 'keys are independent');
  });

  it('expires after the TTL so a lost event cannot block a key forever', async () => {
    const clock = new FakeClock();
    const expectations = new Expectations({ clock, ttlMs: 300_000 });
    expectations.expectCreations('k', 1);
    await clock.advance(299_999);
    assert.equal(expectations.satisfied('k'), false);
    await clock.advance(2);
    assert.equal(expectations.satisfied('k'), true);
    expectations.expectCreations('k', 1);
    assert.equal(expectations.satisfied('k'), false, 'a fresh expectation after expiry counts again');
  });
});
