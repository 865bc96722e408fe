// charts/typerator-operators/dashboards/typerator-operators.json queries the operators' metrics by
// name: this test fails when a query names a metric or label the SDK does not export (a rename in
// sdk/, a typo in the dashboard), so the dashboard cannot silently go blank. The names come from the
// SDK's own registry, filled the way a running Manager fills it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Metric } from 'prom-client';
// The package entry: importing it registers every module-level metric (controller, work queue,
// REST client, leader election), as it does in an operator.
import { metricsRegistry } from '../../../sdk/index.ts';
import { collectProcessMetrics } from '../../../sdk/metrics/registry.ts';
import { WebhookServer } from '../../../sdk/webhook/index.ts';

const file = fileURLToPath(
  new URL('../../../charts/typerator-operators/dashboards/typerator-operators.json', import.meta.url),
);

interface Target {
  readonly expr: string;
  readonly datasource?: { readonly uid?: string };
}
interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly datasource?: { readonly uid?: string };
  readonly targets?: readonly Target[];
}
interface Dashboard {
  readonly uid: string;
  readonly panels: readonly Panel[];
  readonly templating: { readonly list: readonly { name: string; type: string; definition?: string }[] };
}

/** Labels Prometheus adds when it scrapes a pod (prometheus-operator's ServiceMonitor and kube SD). */
const TARGET_LABELS = new Set(['namespace', 'job', 'pod', 'instance', 'service', 'container', 'endpoint']);
const PROMQL_KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
]);

/** Metric names and label names one PromQL expression uses. */
function promqlNames(expr: string): { metrics: string[]; labels: string[] } {
  const labels: string[] = [];
  // Label matchers: {a="x", b=~"$var"}; their string values may contain anything.
  let rest = expr.replace(/\{((?:[^}"]|"(?:[^"\\]|\\.)*")*)\}/g, (_, matchers: string) => {
    for (const [, label] of matchers.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"/g))
      if (label) labels.push(label);
    return ' ';
  });
  rest = rest.replace(
    /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g,
    (_, list: string) => {
      labels.push(
        ...list
          .split(',')
          .map((l) => l.trim())
          .filter(Boolean),
      );
      return ' ';
    },
  );
  rest = rest.replace(/\[[^\]]*\]/g, ' ').replace(/"(?:[^"\\]|\\.)*"/g, ' ');
  const metrics = [...rest.matchAll(/([a-zA-Z_:][\w:]*)\s*(\()?/g)]
    .filter(([, name, call]) => name && !call && !PROMQL_KEYWORDS.has(name.toLowerCase()))
    .map(([, name]) => name ?? '');
  return { metrics, labels };
}

describe('charts/typerator-operators/dashboards/typerator-operators.json', () => {
  const dashboard = JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
  /** Every series name the SDK exports (histograms as _bucket, _sum, _count), with its labels. */
  const exported = new Map<string, { type: string; labels: ReadonlySet<string> }>();

  before(async () => {
    // What a Manager adds when it starts: the webhook server's metrics in its registry, and the
    // process metrics when it serves /metrics.
    new WebhookServer({ registry: metricsRegistry });
    collectProcessMetrics();
    for (const { name, type } of await metricsRegistry.getMetricsAsJSON()) {
      const metric = metricsRegistry.getSingleMetric(name) as (Metric & { labelNames?: unknown }) | undefined;
      // prom-client keeps a metric's label names on the instance (not in its typings).
      assert.ok(Array.isArray(metric?.labelNames), `${name} has labelNames`);
      const labels = new Set(metric.labelNames as string[]);
      const kind = String(type);
      if (kind === 'histogram') {
        exported.set(`${name}_bucket`, { type: kind, labels: new Set([...labels, 'le']) });
        exported.set(`${name}_sum`, { type: kind, labels });
        exported.set(`${name}_count`, { type: kind, labels });
      } else {
        exported.set(name, { type: kind, labels });
      }
    }
    assert.ok(exported.has('controller_runtime_reconcile_total'), 'the SDK registry is filled');
  });

  /** Every PromQL expression: panel targets and the variables' label_values() queries. */
  const expressions = (): { where: string; expr: string }[] => [
    ...dashboard.panels.flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}"`, expr: target.expr })),
    ),
    ...dashboard.templating.list
      .filter((variable) => variable.type === 'query')
      .map((variable) => {
        const match = /^label_values\((.*),\s*(\w+)\)$/.exec(variable.definition ?? '');
        assert.ok(match?.[1] && match[2], `variable ${variable.name} is a label_values() query`);
        // label_values(selector, label) reads `label` of the selector's series: check it like `by (label)`.
        return { where: `variable $${variable.name}`, expr: `count by (${match[2]}) (${match[1]})` };
      }),
  ];

  it('queries only metrics the SDK registers, with labels they have', () => {
    const problems: string[] = [];
    for (const { where, expr } of expressions()) {
      const { metrics, labels } = promqlNames(expr);
      assert.ok(metrics.length > 0, `${where}: ${expr} names a metric`);
      for (const metric of metrics)
        if (!exported.has(metric)) problems.push(`${where}: ${metric} is not exported by the SDK`);
      const known = new Set([
        ...TARGET_LABELS,
        ...metrics.flatMap((m) => [...(exported.get(m)?.labels ?? [])]),
      ]);
      for (const label of labels)
        if (!known.has(label)) problems.push(`${where}: label ${label} is on none of ${metrics.join(', ')}`);
    }
    assert.deepEqual(problems, []);
  });

  it("covers controller-runtime's reconcile, work queue, webhook and REST client metrics, and the process", () => {
    const used = new Set(expressions().flatMap(({ expr }) => promqlNames(expr).metrics));
    for (const metric of [
      'controller_runtime_reconcile_total',
      'controller_runtime_reconcile_errors_total',
      'controller_runtime_reconcile_time_seconds_bucket',
      'workqueue_depth',
      'workqueue_adds_total',
      'workqueue_queue_duration_seconds_bucket',
      'workqueue_work_duration_seconds_bucket',
      'controller_runtime_webhook_requests_total',
      'controller_runtime_webhook_latency_seconds_bucket',
      'rest_client_requests_total',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
    ])
      assert.ok(used.has(metric), `the dashboard shows ${metric}`);
  });

  it('is one importable dashboard: fixed uid, unique panel ids, every query on the $datasource variable', () => {
    assert.equal(dashboard.uid, 'typerator-operators');
    const ids = dashboard.panels.map((panel) => panel.id);
    assert.equal(new Set(ids).size, ids.length, 'panel ids are unique');
    assert.ok(dashboard.templating.list.some((v) => v.name === 'datasource' && v.type === 'datasource'));
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
      assert.equal(panel.datasource?.uid, '${datasource}', panel.title);
      for (const target of panel.targets ?? []) assert.equal(target.datasource?.uid, '${datasource}');
    }
  });

  it('parses PromQL names the way the checks above rely on', () => {
    assert.deepEqual(
      promqlNames(
        'histogram_quantile(0.99, sum by (controller, le) (rate(x_bucket{namespace=~"$ns", a!="}"}[$__rate_interval])))',
      ),
      { metrics: ['x_bucket'], labels: ['namespace', 'a', 'controller', 'le'] },
    );
  });
});
