import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseBoundary } from '../../../operators/sla/logic/bucket-boundary.ts';
import {
  bucketBoundariesQuery,
  goodRatioQuery,
  labelMatchers,
  leMatcher,
  newestSampleAgeQuery,
  requestRateQuery,
  slaQueries,
} from '../../../operators/sla/logic/promql.ts';
import { burnRate, errorBudgetRemaining } from '../../../operators/sla/logic/burn-rate.ts';
import { testSettings } from './sla-fixtures.ts';

const METRIC = 'http_request_duration_seconds';
const DEFAULT_BUCKETS = [
  '0.005',
  '0.01',
  '0.025',
  '0.05',
  '0.1',
  '0.25',
  '0.5',
  '1',
  '2.5',
  '5',
  '10',
  '+Inf',
];

describe('PromQL builders', () => {
  it('builds the good ratio as bucket ÷ count, not a quantile', () => {
    assert.equal(
      goodRatioQuery(METRIC, { app: 'web' }, ['0.2'], 300_000),
      'sum(rate(http_request_duration_seconds_bucket{app="web",le="0.2"}[5m])) / sum(rate(http_request_duration_seconds_count{app="web"}[5m]))',
    );
    assert.equal(
      requestRateQuery(METRIC, { app: 'web' }, 30_000),
      'sum(rate(http_request_duration_seconds_count{app="web"}[30s]))',
    );
    assert.equal(
      bucketBoundariesQuery(METRIC, { app: 'web' }),
      'count by (le) (http_request_duration_seconds_bucket{app="web"})',
    );
    assert.equal(
      newestSampleAgeQuery(METRIC, { app: 'web' }),
      'time() - max(timestamp(http_request_duration_seconds_count{app="web"}))',
    );
  });

  it('turns pod label keys into Prometheus label names and escapes values', () => {
    assert.equal(
      labelMatchers({ 'app.kubernetes.io/name': 'web', tier: 'a"b\\c' }),
      'app_kubernetes_io_name="web",tier="a\\"b\\\\c"',
    );
  });

  it('matches every spelling of a boundary (Prometheus 3 writes 1 as 1.0)', () => {
    assert.equal(leMatcher(['0.2']), 'le="0.2"');
    assert.equal(leMatcher(['1', '1.0']), 'le=~"1|1\\\\.0"');
  });

  it('builds every query of one evaluation from the settings', () => {
    const queries = slaQueries(testSettings(), { kind: 'exact', les: ['0.2'], seconds: 0.2 });
    assert.match(queries.goodRatioShort, /\[30s\]\)\) \/ /);
    assert.match(queries.goodRatioLong, /\[2m\]/);
    assert.match(queries.goodRatioWindow, /\[1h\]/);
    assert.match(queries.requestRate, /_count\{app="web"\}\[30s\]/);
  });
});

describe('chooseBoundary', () => {
  it('is exact when the target is a boundary, whatever its spelling', () => {
    assert.deepEqual(chooseBoundary(0.25, DEFAULT_BUCKETS), { kind: 'exact', les: ['0.25'], seconds: 0.25 });
    assert.deepEqual(chooseBoundary(1, ['0.5', '1.0', '1', '+Inf']), {
      kind: 'exact',
      les: ['1', '1.0'],
      seconds: 1,
    });
  });

  it('takes the nearest lower boundary for 200ms with the default client buckets', () => {
    assert.deepEqual(chooseBoundary(0.2, DEFAULT_BUCKETS), { kind: 'lower', les: ['0.1'], seconds: 0.1 });
  });

  it('says when no boundary can measure the target', () => {
    assert.equal(chooseBoundary(0.001, DEFAULT_BUCKETS).kind, 'none');
    assert.deepEqual(chooseBoundary(0.2, ['+Inf']), {
      kind: 'none',
      reason: 'NoBuckets',
      message: 'the histogram has no finite bucket boundaries',
    });
  });
});

describe('burn rate and error budget', () => {
  it('follows the SRE workbook definitions', () => {
    assert.ok(Math.abs(burnRate(0.98, 0.99) - 2) < 1e-9);
    assert.ok(Math.abs(burnRate(0.999, 0.99) - 0.1) < 1e-9);
    assert.ok(Math.abs(errorBudgetRemaining(0.9975, 0.99) - 0.75) < 1e-9);
    assert.ok(errorBudgetRemaining(0.95, 0.99) < 0, 'overspent');
  });
});
