import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPromDuration, parseDuration } from '../../../operators/sla/logic/durations.ts';
import { SlaSpecError } from '../../../operators/sla/logic/spec-error.ts';
import { parseCost, parseLatency, parsePercent } from '../../../operators/sla/logic/terse-forms.ts';

/** The message of the SlaSpecError `fn` throws, checking the field it names. */
function refusal(fn: () => unknown, field: string): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof SlaSpecError);
    assert.equal(error.field, field);
    return error.message;
  }
  assert.fail('expected an SlaSpecError');
}

describe('parsePercent', () => {
  it('accepts 99%, "99.9", 99, " 99.5 % " as ratios', () => {
    assert.equal(parsePercent('99%'), 0.99);
    assert.equal(parsePercent('99.9'), 0.999);
    assert.equal(parsePercent('99.9%'), 0.999);
    assert.equal(parsePercent(99), 0.99);
    assert.equal(parsePercent(99.95), 0.9995);
    assert.equal(parsePercent(' 99.5 % '), 0.995);
  });

  it('refuses what is not a percent, naming the field and the accepted forms', () => {
    assert.equal(
      refusal(() => parsePercent('lots'), 'spec.percent'),
      'spec.percent: "lots" is not a percent; write a percent above 1 and below 100, such as 99%, 99.9% or "99.9"',
    );
    assert.match(
      refusal(() => parsePercent('0.99'), 'spec.percent'),
      /is 1% or less \(a ratio\?\).*0\.99 is 99%$/,
    );
    assert.match(
      refusal(() => parsePercent('100%'), 'spec.percent'),
      /leaves no error budget.*100% cannot be kept$/,
    );
    assert.match(
      refusal(() => parsePercent(Number.NaN), 'spec.percent'),
      /is not a percent/,
    );
  });
});

describe('parseLatency', () => {
  it('accepts us, ms and s', () => {
    assert.equal(parseLatency('200ms'), 0.2);
    assert.equal(parseLatency('1.5s'), 1.5);
    assert.equal(parseLatency('500us'), 0.0005);
    assert.equal(parseLatency('0.25s'), 0.25);
  });

  it('refuses a bare number, another unit or zero', () => {
    assert.equal(
      refusal(() => parseLatency('200'), 'spec.latency'),
      'spec.latency: "200" is not a latency; write a number with a unit: 200ms, 1.5s or 500us',
    );
    assert.match(
      refusal(() => parseLatency('1m'), 'spec.latency'),
      /is not a latency/,
    );
    assert.match(
      refusal(() => parseLatency('0ms'), 'spec.latency'),
      /is zero/,
    );
  });
});

describe('parseCost', () => {
  it('accepts 3$/h, $3/h, 0.50 USD/h and 2 usd/hour', () => {
    assert.equal(parseCost('3$/h'), 3);
    assert.equal(parseCost('$3/h'), 3);
    assert.equal(parseCost('0.50 USD/h'), 0.5);
    assert.equal(parseCost('2 usd/hour'), 2);
    assert.equal(parseCost('1.25$ / hr'), 1.25);
  });

  it('refuses other currencies, other periods and zero', () => {
    assert.equal(
      refusal(() => parseCost('3 EUR/h'), 'spec.cost'),
      'spec.cost: "3 EUR/h" is not a cost per hour; write US dollars per hour: 3$/h, $3/h or 0.50 USD/h',
    );
    assert.match(
      refusal(() => parseCost('100$/month'), 'spec.cost'),
      /is not a cost per hour/,
    );
    assert.match(
      refusal(() => parseCost('0$/h'), 'spec.cost'),
      /is zero/,
    );
  });
});

describe('parseDuration and formatPromDuration', () => {
  it('reads Prometheus durations, compound ones included', () => {
    assert.equal(parseDuration('30s', 'spec.interval'), 30_000);
    assert.equal(parseDuration('5m', 'spec.shortWindow'), 300_000);
    assert.equal(parseDuration('1h30m', 'spec.longWindow'), 5_400_000);
    assert.equal(parseDuration('28d', 'spec.window'), 28 * 86_400_000);
    assert.equal(parseDuration('1w', 'spec.window'), 7 * 86_400_000);
    assert.equal(parseDuration('500ms', 'spec.interval'), 500);
    assert.equal(parseDuration('0s', 'spec.stabilizationWindow', { allowZero: true }), 0);
  });

  it('refuses other notations and zero, naming the field', () => {
    assert.equal(
      refusal(() => parseDuration('28 days', 'spec.window'), 'spec.window'),
      'spec.window: "28 days" is not a duration; write a duration such as 30s, 5m, 1h, 28d or 1h30m',
    );
    assert.match(
      refusal(() => parseDuration('1.5h', 'spec.window'), 'spec.window'),
      /is not a duration/,
    );
    assert.match(
      refusal(() => parseDuration('0s', 'spec.interval'), 'spec.interval'),
      /is zero/,
    );
  });

  it('renders PromQL ranges in the largest exact unit', () => {
    assert.equal(formatPromDuration(300_000), '5m');
    assert.equal(formatPromDuration(3_600_000), '1h');
    assert.equal(formatPromDuration(28 * 86_400_000), '4w');
    assert.equal(formatPromDuration(90_000), '90s');
    assert.equal(formatPromDuration(1_500), '1500ms');
  });
});
