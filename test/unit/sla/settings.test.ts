import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveSettings, SLA_DEFAULTS } from '../../../operators/sla/logic/settings.ts';

describe('resolveSettings', () => {
  it('applies every default to the issue example', () => {
    const settings = resolveSettings(
      { percent: '99%', latency: '200ms', cost: '3$/h', selector: { app: 'myapp' } },
      4,
    );
    assert.deepEqual(settings, {
      objective: { ratio: 0.99, latencySeconds: 0.2, costPerHour: 3 },
      selector: { app: 'myapp' },
      scaleTargetRef: undefined,
      minReplicas: 1,
      maxReplicas: 10,
      windowMs: 28 * 86_400_000,
      shortWindowMs: 300_000,
      longWindowMs: 3_600_000,
      intervalMs: 30_000,
      stabilizationWindowMs: 300_000,
      prometheus: { url: SLA_DEFAULTS.prometheusUrl, metric: 'http_request_duration_seconds' },
      pricing: { kind: 'prices', cpuPerCoreHour: 0.031611, memoryPerGiBHour: 0.004237 },
      mode: 'Enforce',
      minRequestRate: 1,
      generation: 4,
    });
  });

  it('reads prices from a ConfigMap when one is named', () => {
    const settings = resolveSettings({
      percent: 99,
      latency: '1s',
      selector: { app: 'a' },
      pricing: { configMapRef: { name: 'prices', cpuKey: 'cpu' } },
    });
    assert.deepEqual(settings.pricing, {
      kind: 'configMap',
      name: 'prices',
      cpuKey: 'cpu',
      memoryKey: 'memoryPerGiBHour',
    });
    assert.equal(settings.objective.costPerHour, undefined);
  });

  it('refuses inconsistent windows and bounds, naming the field', () => {
    const base = { percent: '99%', latency: '200ms', selector: { app: 'a' } };
    assert.throws(
      () => resolveSettings({ ...base, shortWindow: '1h', longWindow: '1h' }),
      /^SlaSpecError: spec\.shortWindow: "1h" is not shorter than spec\.longWindow \(1h\)/,
    );
    assert.throws(
      () => resolveSettings({ ...base, longWindow: '30d' }),
      /spec\.longWindow: "30d" is longer than spec\.window \(28d\)/,
    );
    assert.throws(
      () => resolveSettings({ ...base, minReplicas: 5, maxReplicas: 2 }),
      /spec\.minReplicas: 5 exceeds spec\.maxReplicas \(2\)/,
    );
    assert.throws(() => resolveSettings({ ...base, selector: {} }), /spec\.selector: \{\} is empty/);
    assert.throws(
      () => resolveSettings({ ...base, latency: 'fast' }),
      /spec\.latency: "fast" is not a latency/,
    );
    assert.throws(
      () => resolveSettings({ ...base, pricing: { cpuPerCoreHour: 1, configMapRef: { name: 'p' } } }),
      /spec\.pricing: .* sets both prices and configMapRef/,
    );
  });
});
