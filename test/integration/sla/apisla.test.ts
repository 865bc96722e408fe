// The SLA operator end to end (issue 12): the ApiSla controller running in a Manager in this process
// against a full-tier cluster (kube-apiserver, kube-controller-manager's Deployment controller, kwok
// pods that turn Ready), a real Prometheus scraping real demo services whose latency depends on the
// Ready pods of their Deployment, and load generators. Time is compressed only through ApiSla spec
// fields. The scenarios do not interfere (a namespace, a Deployment, a demo service and an app label
// each), so they run concurrently; the one that stops Prometheus has a Prometheus of its own.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Client } from '../../../sdk/client/client.ts';
import { resourceKind } from '../../../sdk/client/resource-kind.ts';
import {
  resolveBinary,
  startPrometheus,
  waitUntil,
  type PrometheusServer,
} from '../../../sdk/testing/index.ts';
import type { ApiSla, ApiSlaSpec } from '../../../operators/sla/api/types.ts';
import { setup } from '../../../operators/sla/operator.ts';
import { auditLogFlags } from '../../support/audit-log-flags.ts';
import { auditEvents } from '../../support/audit-events.ts';
import { installGeneratedCrds } from '../../support/install-crds.ts';
import {
  OPERATOR_ACCOUNT,
  startOperatorEnvironment,
  type OperatorEnvironment,
} from '../../support/operator-environment.ts';
import { describePermission, neededPermissions } from '../../support/rbac-coverage.ts';
import { runProcess } from '../../support/run-process.ts';
import {
  conditionOf,
  directionChanges,
  flaps,
  ScrapeTargets,
  startScenario,
  type Scenario,
  type ScenarioOptions,
} from '../../support/sla/sla-scenario.ts';

const INTERVAL_MS = 2_000;
const STABILIZATION_MS = 15_000;
/**
 * Seconds instead of minutes and hours. The measuring window is an hour, longer than the test: the
 * error budget is what the whole run spent, and a scale-down needs 10% of it left (decide.ts).
 */
const TIMING = {
  interval: '2s',
  shortWindow: '10s',
  longWindow: '30s',
  window: '1h',
  stabilizationWindow: '15s',
} as const;

const log = (message: string) => {
  console.log(`# ${message}`);
};
const figures: string[] = [];

const hpaKind = resourceKind<KubernetesObject & { spec: Record<string, unknown> }>(
  'autoscaling/v2',
  'HorizontalPodAutoscaler',
  'horizontalpodautoscalers',
);

describe('ApiSla operator: real cluster, real Prometheus, real demo services', () => {
  let env: OperatorEnvironment;
  let client: Client;
  let prometheus: PrometheusServer;
  let targets: ScrapeTargets;
  /** Scraped by a Prometheus of its own, which the outage scenario stops. */
  let outagePrometheus: PrometheusServer;
  let outageTargets: ScrapeTargets;
  const scenarios: Scenario[] = [];

  const start = async (
    options: Omit<ScenarioOptions, 'client' | 'targets'> & { targets?: ScrapeTargets },
  ) => {
    const scenario = await startScenario({ client, targets, ...options });
    scenarios.push(scenario);
    return scenario;
  };
  /** 95% of requests ≤ 200 ms on the scenario's pods, with the compressed timing. */
  const specFor = (scenario: Scenario, extra: Partial<ApiSlaSpec> = {}): ApiSlaSpec => ({
    percent: '95%',
    latency: '200ms',
    selector: { app: scenario.name },
    prometheus: { url: prometheus.url },
    minRequestRate: 1,
    ...TIMING,
    ...extra,
  });
  /** Polls the ApiSla until `accept` holds; returns it. */
  const waitSla = (
    scenario: Scenario,
    accept: (sla: ApiSla) => boolean,
    what: string,
    timeoutMs = 60_000,
  ): Promise<ApiSla> =>
    waitUntil(
      async () => {
        const sla = await scenario.sla();
        return accept(sla) ? sla : undefined;
      },
      { what: `${scenario.name}: ${what}`, timeoutMs, intervalMs: 300 },
    );
  const is = (sla: ApiSla, type: string, status: string, reason?: string) => {
    const condition = conditionOf(sla, type);
    return condition?.status === status && (reason === undefined || condition.reason === reason);
  };
  /**
   * Waits for `count` more evaluations, seen as status writes (the controller writes the status only
   * when it changes, and the good ratios and burn rates change with every reading).
   */
  const evaluations = async (scenario: Scenario, count: number) => {
    const seen = new Set([(await scenario.sla()).metadata?.resourceVersion]);
    await waitUntil(
      async () => {
        seen.add((await scenario.sla()).metadata?.resourceVersion);
        return seen.size > count;
      },
      { what: `${scenario.name}: ${count} more evaluations`, timeoutMs: count * INTERVAL_MS * 4 + 10_000 },
    );
  };
  /**
   * Watches spec.replicas until `until` (ms since the epoch) and fails as soon as it is not
   * `expected` (a number, or a check that asserts).
   */
  const assertHeld = async (
    scenario: Scenario,
    expected: number | ((replicas: number) => void),
    until: number,
    what: string,
  ) => {
    await waitUntil(
      async () => {
        const replicas = await scenario.specReplicas();
        if (typeof expected === 'function') expected(replicas);
        else assert.equal(replicas, expected, `${scenario.name}: ${what}: spec.replicas changed`);
        return Date.now() >= until;
      },
      { what: `${scenario.name}: ${what}`, timeoutMs: until - Date.now() + 10_000, intervalMs: 200 },
    ).catch((error: unknown) => {
      // waitUntil counts a throwing check as "not yet"; an assertion is an answer.
      if (error instanceof Error && 'lastError' in error && error.lastError instanceof assert.AssertionError)
        throw error.lastError;
      throw error;
    });
  };
  const reasons = async (scenario: Scenario) => (await scenario.events()).map((event) => event.reason);

  /** What the operator's ServiceAccount asked for, and what it was answered. */
  const audit = auditLogFlags(mkdtempSync(join(tmpdir(), 'typerator-sla-audit-')), [
    `- { level: Metadata, userGroups: ["system:serviceaccounts:${OPERATOR_ACCOUNT.namespace}"] }`,
    '- { level: None }',
  ]);

  before(async () => {
    env = await startOperatorEnvironment({
      plane: { tier: 'full', apiServerArgs: audit.apiServerArgs },
      prepare: (admin) => installGeneratedCrds(admin, (file) => file.startsWith('apislas.')),
      setup: (manager) => setup(manager),
      // The chart's generated ClusterRole and nothing else, as the operator runs in a cluster.
      clusterRoleFile: fileURLToPath(
        new URL('../../../charts/typerator-operators/files/clusterrole-sla.yaml', import.meta.url),
      ),
    });
    client = env.client;
    [prometheus, outagePrometheus] = await Promise.all([
      startPrometheus({ scrapeIntervalMs: 1_000 }),
      startPrometheus({ scrapeIntervalMs: 1_000 }),
    ]);
    targets = new ScrapeTargets(prometheus);
    outageTargets = new ScrapeTargets(outagePrometheus);
  });
  after(async () => {
    if (process.env['SLA_DEBUG'])
      for (const scenario of scenarios) {
        const events = await scenario.events().catch(() => []);
        log(`${scenario.name}: replicas ${scenario.replicas.values.join(' → ')}`);
        for (const event of events)
          log(`  ${event.firstTimestamp?.toString() ?? ''} ${event.reason}: ${event.message}`);
      }
    await Promise.all(scenarios.map((scenario) => scenario.stop()));
    await Promise.all([prometheus?.stop(), outagePrometheus?.stop()]);
    await env?.stop();
    for (const line of figures) log(line);
  });

  describe('scenarios', { concurrency: true }, () => {
    it('1. raising the load breaks the objective; the operator scales up until it is met again', async () => {
      // 20 req/s over 2 replicas of 20 req/s: utilisation 0.5, about 1% of requests over 200 ms.
      const s = await start({ name: 'sla-rise', replicas: 2, rate: 20 });
      await s.createSla(specFor(s, { minReplicas: 1, maxReplicas: 10 }));
      await waitSla(
        s,
        (sla) => is(sla, 'MetricsAvailable', 'True') && is(sla, 'ObjectiveMet', 'True'),
        'ObjectiveMet=True at 20 req/s over 2 replicas',
      );
      assert.deepEqual(s.replicas.values, [2], 'no scaling while the objective is met');

      // 60 req/s: utilisation 1.5 on 2 replicas; 0.375 on 8.
      const steppedAt = Date.now();
      s.load.setRate(60);
      await waitSla(
        s,
        (sla) => is(sla, 'ObjectiveMet', 'False', 'ObjectiveMissed'),
        'ObjectiveMet=False at 60 req/s',
      );
      const met = await waitSla(
        s,
        (sla) => is(sla, 'ObjectiveMet', 'True') && (sla.status?.replicas?.current ?? 0) > 2,
        'ObjectiveMet=True again after scaling up',
        120_000,
      );
      const recoveredAt = Date.parse(conditionOf(met, 'ObjectiveMet')?.lastTransitionTime ?? '');
      const steps = s.replicas.valuesSince(steppedAt);
      assert.ok(steps.length >= 2, `scaled up: ${steps.join(' → ')}`);
      assert.equal(directionChanges(steps), 0, `only up: ${steps.join(' → ')}`);
      assert.deepEqual(
        steps,
        [...steps].sort((a, b) => a - b),
        `only up: ${steps.join(' → ')}`,
      );
      assert.equal(met.status?.lastDecision?.action, 'ScaleUp', JSON.stringify(met.status?.lastDecision));
      assert.equal(met.status?.lastDecision?.reason, 'BudgetBurning');
      const events = await reasons(s);
      assert.equal(
        events.filter((reason) => reason === 'ScaledUp').length,
        steps.length - 1,
        events.join(', '),
      );
      assert.ok(!events.includes('ScaledDown'), events.join(', '));
      assert.ok(events.includes('ObjectiveMetFalse') && events.includes('ObjectiveMet'), events.join(', '));
      figures.push(
        `scenario 1: load 20 → 60 req/s; replicas ${steps.join(' → ')} (${steps.length - 1} scaling actions); objective met again ${((recoveredAt - steppedAt) / 1000).toFixed(1)} s after the load step`,
      );
    });

    it('2. lowering the load scales down after the stabilisation window, without flapping', async () => {
      // 63 req/s over 5 replicas: utilisation 0.63, burn rate about 0.75, inside the dead band. The
      // band is narrow in load (0.59-0.67 utilisation) and a 10 s window holds ~600 requests, so a
      // noisy reading above 1 in both windows may add a replica (seen once in six runs); it must
      // never step down before the load falls.
      const s = await start({ name: 'sla-fall', replicas: 5, rate: 63 });
      await s.createSla(specFor(s, { minReplicas: 1, maxReplicas: 10 }));
      await waitSla(
        s,
        (sla) => is(sla, 'MetricsAvailable', 'True') && is(sla, 'ObjectiveMet', 'True'),
        'ObjectiveMet=True at 63 req/s over 5 replicas',
      );
      await evaluations(s, 3);
      const before = s.replicas.current;
      assert.ok(before >= 5, `no scale-down before the load falls: ${s.replicas.values.join(' → ')}`);

      // 20 req/s: 2 replicas are enough (utilisation 0.5); 1 would be saturated.
      const loweredAt = Date.now();
      s.load.setRate(20);
      await waitUntil(() => s.replicas.current < before, {
        what: `${s.name}: a scale-down`,
        timeoutMs: 90_000,
      });
      const firstDown = s.replicas.changes.find((change) => change.at > loweredAt);
      assert.ok(firstDown);
      assert.ok(
        firstDown.at - loweredAt >= STABILIZATION_MS,
        `the first scale-down came ${firstDown.at - loweredAt} ms after the load fell, within the ${STABILIZATION_MS} ms stabilisation window`,
      );
      // Settled: the operator has looked at one more step down and refused it (AtMinReplicas or
      // ScaleDownUnsafe, both "Holding ... burn rates are low ... but").
      const settled = await waitSla(
        s,
        (sla) =>
          /^Holding \d+ replicas?: burn rates are low .*(would|minReplicas)/.test(
            sla.status?.message ?? '',
          ) && sla.status?.replicas?.current === sla.status?.replicas?.ready,
        'the scale-down to settle',
        150_000,
      );
      // The refusal is a reading: at 3 replicas the predicted burn rate of 2 sits near the threshold
      // (from 3 slow requests in 600, times (3/2)^4), so a later reading may allow the step to 2 —
      // seen once in CI. From 2, one replica would be predicted to burn the budget whatever the
      // reading. So once settled: never up, never below 2.
      const settledAt = Date.now();
      const settledReplicas = s.replicas.current;
      await assertHeld(
        s,
        (replicas) => {
          assert.ok(
            replicas <= settledReplicas && replicas >= 2,
            `${s.name}: settled at ${settledReplicas}, then spec.replicas ${replicas}: ${s.replicas.values.join(' → ')}`,
          );
        },
        settledAt + STABILIZATION_MS + 2 * INTERVAL_MS,
        'no scale-up and no step below 2 once settled',
      );
      const final = s.replicas.current;
      const steps = s.replicas.valuesSince(loweredAt);
      assert.equal(directionChanges(steps), 0, `replicas ${steps.join(' → ')}`);
      assert.deepEqual(
        steps,
        [...steps].sort((a, b) => b - a),
        `only down: ${steps.join(' → ')}`,
      );
      assert.ok(final >= 2, `20 req/s need 2 replicas of 20 req/s; settled at ${final}`);
      assert.ok(final < before);
      const sla = await s.sla();
      assert.ok(is(sla, 'ObjectiveMet', 'True'), JSON.stringify(conditionOf(sla, 'ObjectiveMet')));
      const events = await reasons(s);
      assert.equal(
        events.filter((reason) => reason === 'ScaledDown').length,
        before - final,
        events.join(', '),
      );
      assert.equal(events.filter((reason) => reason === 'ScaledUp').length, before - 5, events.join(', '));
      figures.push(
        `scenario 2: load 63 → 20 req/s; ${before} replicas when it fell; replicas ${steps.join(' → ')} (${steps.length - 1} scaling actions, ${directionChanges(steps)} flaps); first step down ${((firstDown.at - loweredAt) / 1000).toFixed(1)} s after the load fell; settled: ${settled.status?.message}`,
      );
    });

    it('3. a tight cost ceiling stops the scale-up: Achievable=False (CostCeilingBinds), replicas at the ceiling', async () => {
      // Each replica requests 0.5 CPU and 0.5 GiB: $0.75/h at $1/CPU-h and $0.5/GiB-h; $2.5/h pays for 3.
      const s = await start({
        name: 'sla-ceiling',
        replicas: 2,
        rate: 35,
        model: { perReplicaCapacity: 10 },
        requests: { cpu: '500m', memory: '512Mi' },
      });
      await s.createSla(
        specFor(s, {
          cost: '2.5$/h',
          pricing: { cpuPerCoreHour: 1, memoryPerGiBHour: 0.5 },
          maxReplicas: 10,
        }),
      );
      const sla = await waitSla(
        s,
        (candidate) =>
          is(candidate, 'Achievable', 'False', 'CostCeilingBinds') &&
          candidate.status?.lastDecision?.reason === 'CostCeilingBinds',
        'Achievable=False (CostCeilingBinds) and a held scale-up',
        90_000,
      );
      const status = sla.status ?? {};
      assert.equal(status.replicas?.ceiling, 3);
      assert.equal(status.replicas?.limitedBy, 'CostCeiling');
      assert.equal(status.lastDecision?.action, 'Hold');
      assert.ok(Math.abs((status.costPerReplica ?? 0) - 0.75) < 1e-9, String(status.costPerReplica));
      assert.equal(status.ceilingCost, 2.5);
      assert.ok(is(sla, 'ObjectiveMet', 'False'));
      const cost = conditionOf(sla, 'CostWithinLimit');
      assert.equal(cost?.status, 'True', JSON.stringify(cost));
      assert.match(cost?.message ?? '', /\$2\.5\/h ceiling/);
      assert.match(conditionOf(sla, 'Achievable')?.message ?? '', /ceiling pays for 3 replicas/);
      await evaluations(s, 3);
      assert.equal(await s.specReplicas(), 3);
      assert.deepEqual(s.replicas.values, [2, 3], 'one step up to the ceiling, then held');
      const events = await s.events();
      assert.deepEqual(
        events.filter((event) => event.reason === 'ScaledUp').map((event) => event.message?.split(':')[0]),
        ['Deployment sla-ceiling (apps/v1) 2 → 3'],
      );
      const flip = events.find((event) => event.reason === 'AchievableFalse');
      assert.equal(flip?.type, 'Warning');
      assert.match(flip?.message ?? '', /CostCeilingBinds/);
      figures.push(`scenario 3: ${conditionOf(sla, 'Achievable')?.message}`);
    });

    it('4. stopping the scrape target, then Prometheus: MetricsAvailable=False and replicas held', async () => {
      const s = await start({
        name: 'sla-outage',
        replicas: 2,
        rate: 10,
        model: { perReplicaCapacity: 10 },
        targets: outageTargets,
      });
      await s.createSla(specFor(s, { minReplicas: 2, prometheus: { url: outagePrometheus.url } }));
      await waitSla(
        s,
        (sla) => is(sla, 'MetricsAvailable', 'True') && is(sla, 'ObjectiveMet', 'True'),
        'ObjectiveMet=True at 10 req/s over 2 replicas',
      );

      // The scrape target goes away: no series. (Event times have whole seconds.)
      const removedAt = Date.now() - 1_000;
      outageTargets.remove(s.demo.target());
      let sla = await waitSla(
        s,
        (candidate) => is(candidate, 'MetricsAvailable', 'False'),
        'MetricsAvailable=False',
      );
      assert.equal(conditionOf(sla, 'MetricsAvailable')?.reason, 'NoSeries');
      assert.ok(is(sla, 'Ready', 'False', 'NoSeries'));
      assert.ok(is(sla, 'ObjectiveMet', 'Unknown', 'MetricsUnavailable'));
      const before = await s.specReplicas();
      // Overloaded now (utilisation 1.5): it would scale up if it could see.
      s.load.setRate(30);
      const goneAt = Date.parse(conditionOf(sla, 'MetricsAvailable')?.lastTransitionTime ?? '');
      await assertHeld(
        s,
        before,
        Math.max(goneAt, Date.now()) + 4 * INTERVAL_MS,
        'held while the target is gone',
      );

      // Back: the overload is seen and acted on.
      outageTargets.add(s.demo.target());
      await waitSla(
        s,
        (candidate) => is(candidate, 'MetricsAvailable', 'True'),
        'MetricsAvailable=True again',
      );
      await waitUntil(() => s.replicas.current > before, {
        what: `${s.name}: a scale-up once the metrics are back`,
        timeoutMs: 60_000,
      });

      // Prometheus itself goes away: queries fail.
      await outagePrometheus.kill();
      sla = await waitSla(
        s,
        (candidate) => is(candidate, 'MetricsAvailable', 'False'),
        'MetricsAvailable=False after the kill',
      );
      assert.equal(conditionOf(sla, 'MetricsAvailable')?.reason, 'QueryFailed');
      assert.ok(is(sla, 'Ready', 'False', 'QueryFailed'));
      const held = await s.specReplicas();
      // Almost idle now: it would scale down after the stabilisation window if it could see.
      s.load.setRate(3);
      const killedAt = Date.parse(conditionOf(sla, 'MetricsAvailable')?.lastTransitionTime ?? '');
      await assertHeld(
        s,
        held,
        Math.max(killedAt, Date.now()) + STABILIZATION_MS + 3 * INTERVAL_MS,
        'held while Prometheus is gone',
      );
      const events = await s.events();
      const metricEvents = events.filter(
        (event) =>
          event.reason === 'MetricsAvailableFalse' &&
          new Date(String(event.firstTimestamp)).getTime() >= removedAt,
      );
      assert.equal(metricEvents.length, 2, events.map((event) => event.reason).join(', '));
      assert.ok(metricEvents.every((event) => event.type === 'Warning'));
      assert.match(metricEvents[0]?.message ?? '', /NoSeries/);
      assert.match(metricEvents[1]?.message ?? '', /QueryFailed/);
      assert.equal(events.filter((event) => event.reason === 'ScaledDown').length, 0);
      assert.equal(
        events.filter((event) => event.reason === 'ScaledUp').length,
        s.replicas.actions,
        'every change of spec.replicas is a ScaledUp event, made while metrics were available',
      );
      figures.push(
        `scenario 4: replicas ${s.replicas.values.join(' → ')}; while Prometheus is gone: ${conditionOf(sla, 'MetricsAvailable')?.message}`,
      );
    });

    it('5. a latency target between bucket boundaries: IndicatorExact=False naming le="0.2"', async () => {
      const s = await start({ name: 'sla-inexact', replicas: 1, rate: 10 });
      await s.createSla(specFor(s, { latency: '250ms' }));
      const sla = await waitSla(
        s,
        (candidate) => is(candidate, 'IndicatorExact', 'False') && is(candidate, 'MetricsAvailable', 'True'),
        'IndicatorExact=False',
      );
      const condition = conditionOf(sla, 'IndicatorExact');
      assert.equal(condition?.reason, 'NearestLowerBoundary');
      assert.match(condition?.message ?? '', /250ms is not a bucket boundary/);
      assert.match(condition?.message ?? '', /le="0\.2"/);
      assert.deepEqual(sla.status?.indicator, { le: '0.2', exact: false });
      assert.match(conditionOf(sla, 'ObjectiveMet')?.message ?? '', /≤ 200ms/);
      const flip = (await s.events()).find((event) => event.reason === 'IndicatorExactFalse');
      assert.equal(flip?.type, 'Normal');
      figures.push(`scenario 5: ${condition?.message}`);
    });

    it('6. latency that does not depend on replicas: ScalingIneffective, scaling stops', async () => {
      // A shared bottleneck at 90% utilisation whatever the replicas: about 40% of requests slow.
      const s = await start({
        name: 'sla-bottleneck',
        replicas: 1,
        rate: 54,
        model: { replicaIndependent: true, perReplicaCapacity: 60 },
      });
      await s.createSla(specFor(s, { maxReplicas: 10 }));
      const sla = await waitSla(
        s,
        (candidate) => is(candidate, 'Achievable', 'False', 'ScalingIneffective'),
        'Achievable=False (ScalingIneffective)',
        90_000,
      );
      const ineffective = sla.status?.history?.ineffective;
      assert.ok(ineffective, JSON.stringify(sla.status?.history));
      await waitSla(
        s,
        (candidate) => candidate.status?.lastDecision?.reason === 'ScalingIneffective',
        'a ScalingIneffective hold',
      );
      await evaluations(s, 3);
      const steps = s.replicas.values;
      assert.deepEqual(steps, [1, 2], `one scale-up, then no more: ${steps.join(' → ')}`);
      assert.equal(ineffective.replicas, 2);
      assert.ok(is(await s.sla(), 'Achievable', 'False', 'ScalingIneffective'));
      figures.push(`scenario 6: replicas ${steps.join(' → ')}; ${conditionOf(sla, 'Achievable')?.message}`);
    });

    it('7. mode Advise reports a scale-up and never scales', async () => {
      const s = await start({ name: 'sla-advise', replicas: 1, rate: 20, model: { perReplicaCapacity: 10 } });
      await s.createSla(specFor(s, { mode: 'Advise' }));
      const sla = await waitSla(
        s,
        (candidate) => candidate.status?.lastDecision?.action === 'ScaleUp',
        'an advised scale-up in status.lastDecision',
      );
      assert.deepEqual(
        { ...sla.status?.lastDecision, time: undefined },
        { time: undefined, action: 'ScaleUp', from: 1, to: 2, reason: 'BudgetBurning', advisory: true },
      );
      assert.match(
        sla.status?.message ?? '',
        /^Advice, not applied \(mode Advise\): scaling up from 1 to 2 replicas/,
      );
      await evaluations(s, 4);
      assert.deepEqual(s.replicas.values, [1]);
      assert.equal(await s.specReplicas(), 1);
      const events = await reasons(s);
      assert.ok(events.includes('AdviseScaleUp'), events.join(', '));
      assert.ok(!events.includes('ScaledUp'), events.join(', '));
      figures.push(`scenario 7: ${sla.status?.message}`);
    });

    it('8. an HPA on the same Deployment: the ApiSla refuses (TargetConflict) and does not scale', async () => {
      const s = await start({ name: 'sla-hpa', replicas: 1, rate: 20, model: { perReplicaCapacity: 10 } });
      await client.resource(hpaKind).create({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'sla-hpa', namespace: s.namespace },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: s.name },
          minReplicas: 1,
          maxReplicas: 3,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
            },
          ],
        },
      });
      await s.createSla(specFor(s));
      const sla = await waitSla(
        s,
        (candidate) =>
          is(candidate, 'Achievable', 'False', 'TargetConflict') && is(candidate, 'MetricsAvailable', 'True'),
        'Achievable=False (TargetConflict)',
      );
      assert.ok(is(sla, 'Ready', 'False', 'TargetConflict'));
      assert.match(
        conditionOf(sla, 'Achievable')?.message ?? '',
        /HorizontalPodAutoscaler sla-hpa already scales/,
      );
      assert.equal(sla.status?.lastDecision?.reason, 'TargetConflict');
      // Overloaded (utilisation 2): without the HPA it would scale up.
      assert.ok(is(sla, 'ObjectiveMet', 'False') || is(sla, 'ObjectiveMet', 'True'));
      await evaluations(s, 4);
      assert.ok(
        is(await s.sla(), 'ObjectiveMet', 'False'),
        'the objective is missed and still nothing scales',
      );
      assert.deepEqual(s.replicas.values, [1]);
      const events = await reasons(s);
      assert.ok(!events.includes('ScaledUp'), events.join(', '));
      figures.push(`scenario 8: ${conditionOf(sla, 'Achievable')?.message}`);
    });
  });

  it('no scenario flapped over the whole run', () => {
    // Scenario 1 keeps its 60 req/s after the objective is met: an overshoot may be trimmed back
    // (up, up, down), but nothing may scale up again after a scale-down.
    for (const scenario of scenarios) {
      const values = scenario.replicas.values;
      figures.push(
        `${scenario.name}: spec.replicas over the run ${values.join(' → ')}, ${flaps(values)} flaps`,
      );
      assert.equal(flaps(values), 0, `${scenario.name}: ${values.join(' → ')}`);
    }
  });

  it("was refused nothing with only the chart's generated ClusterRole", () => {
    const username = `system:serviceaccount:${OPERATOR_ACCOUNT.namespace}:${OPERATOR_ACCOUNT.name}`;
    const answered = auditEvents(audit.auditLog).filter(
      (event) => event.stage === 'ResponseComplete' && event.user?.username === username,
    );
    assert.ok(answered.length > 0, `the audit log holds requests of ${username}`);
    const refused = answered.filter((event) => event.responseStatus?.code === 403);
    assert.deepEqual(
      refused.map((event) => `${event.verb} ${event.requestURI}`),
      [],
      'requests the generated ClusterRole does not grant',
    );
    const used = neededPermissions(answered, username, () => '(no owner references at level Metadata)');
    const distinct = new Set(used.map((p) => describePermission({ ...p, namespace: '' })));
    figures.push(`the operator's requests, by permission: ${[...distinct].join(', ')}`);
  });

  it('kubectl get apislas prints the printer columns', async () => {
    const result = await runProcess(
      resolveBinary('kubectl'),
      ['--kubeconfig', env.plane.kubeconfigPath, 'get', 'apislas', '--all-namespaces'],
      { timeoutMs: 60_000 },
    );
    assert.equal(result.code, 0, result.stderr);
    log(`kubectl get apislas --all-namespaces:\n${result.stdout.trimEnd().replace(/^/gm, '#   ')}`);
    const [header, ...rows] = result.stdout.trimEnd().split('\n');
    assert.match(
      header ?? '',
      /^NAMESPACE +NAME +OBJECTIVE +GOOD +BUDGET-LEFT +REPLICAS +\$\/H +ACHIEVABLE +AGE$/,
    );
    assert.equal(rows.length, 8);
    assert.match(
      rows.join('\n'),
      /sla-ceiling +sla-ceiling +95% ≤ 200ms +\d+(\.\d+)?% +-?\d+% +3\/3 +2\.25\/2\.5 +False/,
    );
    const short = await runProcess(
      resolveBinary('kubectl'),
      ['--kubeconfig', env.plane.kubeconfigPath, 'get', 'sla', '-n', 'sla-inexact'],
      { timeoutMs: 60_000 },
    );
    assert.equal(short.code, 0, short.stderr);
    assert.match(short.stdout, /sla-inexact +95% ≤ 250ms/);
  });
});
