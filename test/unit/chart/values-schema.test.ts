// charts/typerator-operators/values.schema.json is generated from the TypeScript type in
// charts/typerator-operators/values.ts (npm run chart:schema): these tests fail when the committed file
// is stale, when values.yaml stops matching its own schema, and when the rewrite of sdk/crd's
// structural schema into Helm's JSON Schema loses a constraint. Helm's own validator is exercised by
// test/integration/chart/operators-chart.test.ts; here ajv (draft-07, the dialect the file declares)
// keeps the checks fast. ajv comes with eslint, a dev dependency.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { parse } from 'yaml';
import type { JsonSchema } from '../../../sdk/crd/index.ts';
import {
  helmValuesSchema,
  OPERATORS_CHART,
  renderValuesSchema,
  ValuesSchemaError,
  type ValuesSchema,
} from '../../../scripts/values-schema.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const chartDir = join(repoRoot, OPERATORS_CHART.chartDir);
const committed = readFileSync(join(chartDir, 'values.schema.json'), 'utf8');
const defaults = parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) as Record<string, unknown>;

type Values = Record<string, unknown>;

/** values.yaml with `path` (dotted) set to `value`, like `--set path=value` after Helm's merge. */
function withValue(path: string, value: unknown): Values {
  const values = structuredClone(defaults);
  const keys = path.split('.');
  const last = keys.pop() ?? '';
  let node: Values = values;
  for (const key of keys) {
    node[key] ??= {};
    node = node[key] as Values;
  }
  node[last] = value;
  return values;
}

describe('charts/typerator-operators/values.schema.json', () => {
  let validate: (values: unknown) => string[];
  before(() => {
    const ajv = new Ajv({ allErrors: true });
    const check = ajv.compile(JSON.parse(committed) as object);
    validate = (values) =>
      check(values)
        ? []
        : (check.errors ?? []).map((e) => `${e.dataPath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  });

  it('is what `npm run chart:schema` generates from values.ts (run it when this fails)', async () => {
    assert.equal(committed, await renderValuesSchema(OPERATORS_CHART, repoRoot));
  });

  it('is checked by `npm run lint`', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    assert.match(manifest.scripts['lint'] ?? '', /npm run -s chart:schema:check$/);
    assert.equal(manifest.scripts['chart:schema:check'], `${manifest.scripts['chart:schema'] ?? ''} --check`);
  });

  it('accepts values.yaml and the documented alternatives', () => {
    assert.deepEqual(validate(defaults), []);
    for (const [path, value] of [
      ['podDisruptionBudget.minAvailable', '50%'],
      ['resources.limits.cpu', 0.5],
      ['resources.limits.cpu', '500m'],
      ['grafana.dashboard.enabled', true],
      ['grafana.dashboard.namespace', 'monitoring'],
      ['grafana.dashboard.labels', { grafana_dashboard: 'yes', team: 'infra' }],
      ['webhooks.certManager.issuerRef', { name: 'ca', kind: 'ClusterIssuer' }],
      ['extraEnv', [{ name: 'NODE_OPTIONS', value: '--max-old-space-size=384' }]],
      ['tolerations', [{ key: 'dedicated', operator: 'Equal', value: 'ops', effect: 'NoSchedule' }]],
      ['global', { imageRegistry: 'example.com' }],
    ] as const)
      assert.deepEqual(validate(withValue(path, value)), [], `${path}: ${JSON.stringify(value)}`);
  });

  it('refuses wrong types, values out of range and unknown keys, naming the field', () => {
    for (const [path, value, field] of [
      ['replicas', 'two', '.replicas'],
      ['replicas', 1.5, '.replicas'],
      ['replicas', -1, '.replicas'],
      ['logLevel', 'loud', '.logLevel'],
      ['ports.webhook', 0, '.ports.webhook'],
      ['webhooks.timeoutSeconds', 31, '.webhooks.timeoutSeconds'],
      ['webhooks.failurePolicy', 'Sometimes', '.webhooks.failurePolicy'],
      ['operators.deployment.enabled', 'yes', '.operators.deployment.enabled'],
      ['grafana.dashboard.enabled', 'yes', '.grafana.dashboard.enabled'],
      ['grafana.dashboard.namespace', 'Not_A_Namespace', '.grafana.dashboard.namespace'],
      ['grafana.dashboard.labels', { team: 1 }, ".grafana.dashboard.labels['team']"],
      ['metrics.serviceMonitor.interval', 'soon', '.metrics.serviceMonitor.interval'],
      ['podDisruptionBudget.minAvailable', 'half', '.podDisruptionBudget.minAvailable'],
      ['leaderElection.id', 'Not_A_Name', '.leaderElection.id'],
      ['image.repository', '', '.image.repository'],
      ['command', 'node operators/main.js', '.command'],
      ['extraEnv', [{ name: '' }], '.extraEnv[0].name'],
      ['resources.limits.cpu', 'lots', ".resources.limits['cpu']"],
    ] as const) {
      const errors = validate(withValue(path, value));
      assert.ok(
        errors.some((e) => e.startsWith(`${field} `)),
        `${path}: ${JSON.stringify(value)} → ${errors.join('; ')}`,
      );
    }
    for (const [path, key] of [
      ['replica', 'replica'],
      ['operators.appsv1', 'appsv1'],
      ['grafana.dashboards', 'dashboards'],
      ['grafana.dashboard.enable', 'enable'],
      ['resources.limit', 'limit'],
      ['podSecurityContext.runAsUsr', 'runAsUsr'],
      ['affinity.nodeAffinity.preferred', 'preferred'],
    ] as const) {
      const errors = validate(withValue(path, {}));
      assert.ok(
        errors.some((e) => e.includes('should NOT have additional properties') && e.includes(`"${key}"`)),
        `${path}: ${errors.join('; ')}`,
      );
    }
    const values = structuredClone(defaults);
    delete values['replicas'];
    assert.ok(validate(values).some((e) => e.includes('"missingProperty":"replicas"')));
  });
});

describe('helmValuesSchema (structural schema → JSON Schema for Helm)', () => {
  it('closes declared objects, keeps maps and free-form objects open', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        anything: { 'x-kubernetes-preserve-unknown-fields': true },
      },
    };
    assert.deepEqual(helmValuesSchema(schema), {
      type: 'object',
      properties: {
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        extra: { type: 'object' },
        anything: {},
      },
      additionalProperties: false,
    } satisfies ValuesSchema);
  });

  it('rewrites the OpenAPI v3 / Kubernetes forms into draft-07', () => {
    assert.deepEqual(
      helmValuesSchema({ type: 'integer', format: 'int32', minimum: 0, exclusiveMinimum: true }),
      {
        type: 'integer',
        exclusiveMinimum: 0,
      },
    );
    assert.deepEqual(helmValuesSchema({ type: 'string', enum: ['a'], nullable: true }), {
      type: ['string', 'null'],
      enum: ['a', null],
    });
    assert.deepEqual(helmValuesSchema({ 'x-kubernetes-int-or-string': true, pattern: '^[0-9]+%$' }), {
      type: ['integer', 'string'],
      pattern: '^[0-9]+%$',
    });
    assert.deepEqual(
      helmValuesSchema({ type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' }),
      { type: 'array', uniqueItems: true, items: { type: 'string' } },
    );
    assert.deepEqual(helmValuesSchema({ type: 'string', description: 'Two\n  lines.' }), {
      description: 'Two lines.',
      type: 'string',
    });
  });

  it('refuses CEL rules, which Helm cannot check, naming the field', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { size: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self > 1' }] } },
    };
    assert.throws(
      () => helmValuesSchema(schema),
      (error: unknown) => {
        assert.ok(error instanceof ValuesSchemaError);
        assert.equal(error.path, '.size');
        return true;
      },
    );
  });
});
