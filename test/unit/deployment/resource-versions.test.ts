import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cacheIsBehind } from '../../../operators/deployment/logic/resource-versions.ts';

describe('cacheIsBehind', () => {
  const cases = [
    { cached: '100', written: '105', want: true, why: 'the cache has not seen our write yet' },
    { cached: '105', written: '105', want: false, why: 'the cache holds our write' },
    { cached: '110', written: '105', want: false, why: 'someone wrote after us and the cache has it' },
    { cached: '99', written: '100000000000000000000', want: true, why: 'beyond 2^53' },
    { cached: 'abc', written: '105', want: false, why: 'not comparable' },
    { cached: undefined, written: '105', want: false, why: 'no version' },
  ];
  for (const c of cases) {
    it(`${String(c.cached)} vs ${c.written}: ${c.why}`, () => {
      assert.equal(cacheIsBehind(c.cached, c.written), c.want);
    });
  }
});
