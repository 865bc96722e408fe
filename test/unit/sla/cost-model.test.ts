import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import {
  ceilingReplicas,
  PricingConfigError,
  pricingFromConfigMap,
  replicaCost,
} from '../../../operators/sla/logic/cost-model.ts';
import { parseQuantity, QuantityError } from '../../../operators/sla/logic/quantity.ts';
import { SLA_DEFAULTS } from '../../../operators/sla/logic/settings.ts';

const OPENCOST = {
  cpuPerCoreHour: SLA_DEFAULTS.cpuPerCoreHour,
  memoryPerGiBHour: SLA_DEFAULTS.memoryPerGiBHour,
};

const template = (spec: NonNullable<V1PodTemplateSpec['spec']>): V1PodTemplateSpec => ({ spec });

describe('parseQuantity', () => {
  it('reads decimal, binary and exponent forms, fractions included', () => {
    assert.equal(parseQuantity('500m'), 0.5);
    assert.equal(parseQuantity('2'), 2);
    assert.equal(parseQuantity('512Mi'), 512 * 2 ** 20);
    assert.equal(parseQuantity('1.5Gi'), 1.5 * 2 ** 30);
    assert.equal(parseQuantity('1k'), 1000);
    assert.equal(parseQuantity('2e3'), 2000);
    assert.equal(parseQuantity('.5'), 0.5);
    assert.equal(parseQuantity(3), 3);
  });

  it('refuses what is not a quantity', () => {
    assert.throws(() => parseQuantity('lots'), QuantityError);
    assert.throws(() => parseQuantity('5Xi'), /"5Xi" is not a Kubernetes quantity/);
  });
});

describe('replicaCost', () => {
  it('prices the research example: 500m CPU and 512Mi at OpenCost defaults ≈ $0.0179/h', () => {
    const cost = replicaCost(
      template({ containers: [{ name: 'app', resources: { requests: { cpu: '500m', memory: '512Mi' } } }] }),
      OPENCOST,
    );
    assert.ok(Math.abs(cost.costPerReplica - 0.0179235) < 1e-6, String(cost.costPerReplica));
    assert.deepEqual([cost.cpuCores, cost.memoryGiB, cost.unpriced], [0.5, 0.5, []]);
    assert.equal(ceilingReplicas(1, cost.costPerReplica), 55);
  });

  it('counts sidecars, the largest init container, overhead, and limits standing in for requests', () => {
    const cost = replicaCost(
      template({
        initContainers: [
          { name: 'migrate', resources: { requests: { cpu: '4', memory: '1Gi' } } },
          {
            name: 'proxy',
            restartPolicy: 'Always',
            resources: { requests: { cpu: '100m', memory: '64Mi' } },
          },
        ],
        containers: [{ name: 'app', resources: { limits: { cpu: '1', memory: '1Gi' } } }, { name: 'bare' }],
        overhead: { cpu: '250m' },
      }),
      { cpuPerCoreHour: 1, memoryPerGiBHour: 1 },
    );
    // CPU: max(1.1 of app + sidecar, 4 of init) + 0.25; memory: max(1.0625, 1).
    assert.equal(cost.cpuCores, 4.25);
    assert.equal(cost.memoryGiB, 1.0625);
    assert.deepEqual(cost.unpriced, ['bare']);
  });

  it('gives no bound when a replica costs nothing', () => {
    assert.equal(ceilingReplicas(3, 0), undefined);
    assert.equal(ceilingReplicas(3, 0.5), 6);
    assert.equal(ceilingReplicas(0.3, 0.1), 3);
  });
});

describe('pricingFromConfigMap', () => {
  it('reads the configured keys', () => {
    assert.deepEqual(
      pricingFromConfigMap(
        'prices',
        { cpu: '0.04', memoryPerGiBHour: '0.005' },
        { cpuKey: 'cpu', memoryKey: 'memoryPerGiBHour' },
      ),
      { cpuPerCoreHour: 0.04, memoryPerGiBHour: 0.005 },
    );
  });

  it('names the ConfigMap and the key that is missing or wrong', () => {
    const keys = { cpuKey: 'cpu', memoryKey: 'memory' };
    assert.throws(
      () => pricingFromConfigMap('prices', { cpu: '1' }, keys),
      (error: unknown) => {
        assert.ok(error instanceof PricingConfigError);
        assert.equal(
          error.message,
          'ConfigMap prices key memory is missing; write US dollars per hour as a number, e.g. 0.031611',
        );
        return true;
      },
    );
    assert.throws(
      () => pricingFromConfigMap('prices', { cpu: 'cheap', memory: '1' }, keys),
      /key cpu is "cheap", not a price/,
    );
  });
});
