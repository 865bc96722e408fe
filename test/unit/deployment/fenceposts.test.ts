import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  InvalidIntOrPercentError,
  maxSurge,
  maxUnavailable,
  minAvailable,
  resolveFenceposts,
  valueFromIntOrPercent,
} from '../../../operators/deployment/logic/fenceposts.ts';
import { deployment } from './fixtures.ts';

describe('resolveFenceposts', () => {
  const cases = [
    // The spec's §2.5 examples.
    { surge: '25%', unavailable: '25%', replicas: 1, want: { surge: 1, unavailable: 0 } },
    { surge: '25%', unavailable: '25%', replicas: 10, want: { surge: 3, unavailable: 2 } },
    { surge: '25%', unavailable: '25%', replicas: 20, want: { surge: 5, unavailable: 5 } },
    { surge: '0%', unavailable: '1%', replicas: 2, want: { surge: 0, unavailable: 1 } },
    // Both rounding to 0 falls back to unavailable 1 (scenario 5).
    { surge: '0%', unavailable: '10%', replicas: 1, want: { surge: 0, unavailable: 1 } },
    { surge: 0, unavailable: '25%', replicas: 3, want: { surge: 0, unavailable: 1 } },
    { surge: '1%', unavailable: '0%', replicas: 2, want: { surge: 1, unavailable: 0 } },
    { surge: 3, unavailable: 2, replicas: 10, want: { surge: 3, unavailable: 2 } },
    { surge: '100%', unavailable: '100%', replicas: 7, want: { surge: 7, unavailable: 7 } },
    { surge: '25%', unavailable: '25%', replicas: 0, want: { surge: 0, unavailable: 1 } },
  ] as const;
  for (const c of cases) {
    it(`${c.replicas} replicas at ${c.surge}/${c.unavailable} → surge ${c.want.surge}, unavailable ${c.want.unavailable}`, () => {
      assert.deepEqual(resolveFenceposts(c.surge, c.unavailable, c.replicas), c.want);
    });
  }
});

describe('valueFromIntOrPercent', () => {
  it('rounds percents up or down as asked and passes counts through', () => {
    assert.equal(valueFromIntOrPercent('25%', 10, true), 3);
    assert.equal(valueFromIntOrPercent('25%', 10, false), 2);
    assert.equal(valueFromIntOrPercent('30%', 10, true), 3);
    assert.equal(valueFromIntOrPercent(4, 10, true), 4);
  });

  for (const bad of ['25', '2.5%', '-1%', 'abc', '%', '', ' 5%']) {
    it(`rejects ${JSON.stringify(bad)} with a clear error`, () => {
      assert.throws(
        () => valueFromIntOrPercent(bad, 10, true),
        (error: unknown) =>
          error instanceof InvalidIntOrPercentError &&
          error.message.includes(JSON.stringify(bad)) &&
          error.value === bad,
      );
    });
  }
  for (const bad of [-1, 1.5, Number.NaN]) {
    it(`rejects the count ${bad}`, () => {
      assert.throws(() => valueFromIntOrPercent(bad, 10, true), InvalidIntOrPercentError);
    });
  }
});

describe('maxSurge / maxUnavailable / minAvailable', () => {
  const cases = [
    { name: 'rolling 10 at 25%/25%', d: deployment({ replicas: 10 }), surge: 3, unavailable: 2, min: 8 },
    { name: 'rolling 20 at 25%/25%', d: deployment({ replicas: 20 }), surge: 5, unavailable: 5, min: 15 },
    { name: 'rolling 1 at 25%/25%', d: deployment({ replicas: 1 }), surge: 1, unavailable: 0, min: 1 },
    {
      name: 'Recreate has no surge and no unavailability',
      d: deployment({ replicas: 5, strategy: 'Recreate' }),
      surge: 0,
      unavailable: 0,
      min: 5,
    },
    {
      name: 'replicas 0 has no unavailability',
      d: deployment({ replicas: 0 }),
      surge: 0,
      unavailable: 0,
      min: 0,
    },
    {
      name: 'unavailable is clamped to replicas',
      d: deployment({ replicas: 2, maxSurge: 0, maxUnavailable: 5 }),
      surge: 0,
      unavailable: 2,
      min: 0,
    },
    {
      name: 'missing rollingUpdate defaults to 25%/25%',
      d: { ...deployment({ replicas: 10 }), spec: { ...deployment({ replicas: 10 }).spec, strategy: {} } },
      surge: 3,
      unavailable: 2,
      min: 8,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(maxSurge(c.d), c.surge);
      assert.equal(maxUnavailable(c.d), c.unavailable);
      assert.equal(minAvailable(c.d), c.min);
    });
  }
});
