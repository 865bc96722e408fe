// Every example operator in one process, as the runner starts it: operators/main.ts with flags
// (which operators, kubeconfig, metrics, probe and webhook addresses, certificate folder, Lease),
// one manager and one webhook server, reconciling a Deployment and a StatefulSet sample on a full
// tier; and the one-line refusals of bad flags, from operators/main.ts and `typerator run`.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { kindOf } from '../../../sdk/dev/apply-objects.ts';
import { objectProgress } from '../../../sdk/dev/object-progress.ts';
import { RUN_SETTINGS } from '../../../sdk/runner/run-settings.ts';
import { freePort } from '../../../sdk/testing/free-port.ts';
import { startControlPlane, waitUntil, type ControlPlane } from '../../../sdk/testing/index.ts';
import {
  WebhookServer,
  ensureDevCertificates,
  mutatingWebhookConfiguration,
  validatingWebhookConfiguration,
} from '../../../sdk/webhook/index.ts';
import { API_VERSION } from '../../../operators/deployment/api/types.ts';
import { deploymentKind } from '../../../operators/deployment/kinds.ts';
import { registerDeploymentWebhooks } from '../../../operators/deployment/webhooks/setup-deployment-webhooks.ts';
import { statefulSetKind } from '../../../operators/statefulset/kinds.ts';
import { registerStatefulSetWebhooks } from '../../../operators/statefulset/webhooks/setup-statefulset-webhooks.ts';
import { installGeneratedCrds } from '../../support/install-crds.ts';
import { runProcess } from '../../support/run-process.ts';
import { applyWorkloadSamples } from '../../support/workload-samples.ts';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const main = join(repo, 'operators/main.ts');
const cli = join(repo, 'bin/typerator.js');

/** This process's environment without any of the runner's variables, so only the flags count. */
function cleanEnvironment(): NodeJS.ProcessEnv {
  const runnerVariables = new Set([...Object.values(RUN_SETTINGS).map((s) => s.variable), 'LEADER_ELECT']);
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !runnerVariables.has(name)));
}

async function httpGet(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
}

describe('operators/main.ts: the example operators in one process', () => {
  let plane: ControlPlane;
  let client: Client;
  let child: ChildProcess;
  let log = '';
  const certs = mkdtempSync(join(tmpdir(), 'typerator-operators-main-'));
  let caPem: string;
  let ports: { metrics: number; probes: number; webhooks: number };

  before(async () => {
    plane = await startControlPlane({ tier: 'full', nodes: 1 });
    client = await Client.fromKubeConfig(plane.kubeConfig());
    await installGeneratedCrds(client);
    caPem = (await ensureDevCertificates({ dir: certs })).caPem;
    ports = { metrics: await freePort(), probes: await freePort(), webhooks: await freePort() };
    child = spawn(
      process.execPath,
      [
        main,
        '--operators',
        'deployment,statefulset',
        '--kubeconfig',
        plane.kubeconfigPath,
        '--metrics-bind-address',
        `127.0.0.1:${ports.metrics}`,
        '--health-probe-bind-address',
        `127.0.0.1:${ports.probes}`,
        '--webhook-cert-dir',
        certs,
        '--webhook-port',
        String(ports.webhooks),
        '--leader-election-namespace',
        'default',
        '--log-format',
        'json',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnvironment() },
    );
    const collect = (chunk: Buffer) => (log += chunk.toString());
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
  });
  after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    client.close();
    await plane.stop();
    rmSync(certs, { recursive: true, force: true });
  });

  it('is ready, holds its Lease, serves both operators’ admission on one server, and reconciles a sample of each', async () => {
    const exited = () => child.exitCode !== null;
    await waitUntil(
      async () => {
        if (exited()) throw new Error(`the process exited: ${log}`);
        return (
          (await httpGet(`http://127.0.0.1:${ports.probes}/readyz`).catch(() => undefined))?.status === 200
        );
      },
      { what: '/readyz to answer 200', timeoutMs: 60_000, intervalMs: 250 },
    );
    assert.match(log, /"operators":\["deployment","statefulset"\]/);
    const lease = await waitUntil(
      async () => {
        const found = await client.resource(kinds.Lease).get({ namespace: 'default', name: 'typerator' });
        return found.spec?.holderIdentity ? found : undefined;
      },
      { what: 'the Lease typerator to be held', timeoutMs: 30_000, intervalMs: 250 },
    );
    assert.ok(lease.spec?.holderIdentity);

    // Both operators' admission, as the process registers it on its one server.
    const registrations = new WebhookServer();
    registerDeploymentWebhooks(registrations);
    registerStatefulSetWebhooks(registrations);
    const endpoint = { url: `https://127.0.0.1:${ports.webhooks}`, caBundlePem: caPem };
    const name = 'typerator-operators';
    await client
      .resource(kinds.MutatingWebhookConfiguration)
      .create(mutatingWebhookConfiguration(registrations, { name, endpoint }));
    await client
      .resource(kinds.ValidatingWebhookConfiguration)
      .create(validatingWebhookConfiguration(registrations, { name, endpoint }));
    const template = (app: string) => ({
      metadata: { labels: { app } },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    const refusedBy = async (create: () => Promise<unknown>, message: RegExp) =>
      waitUntil(
        () =>
          create().then(
            () => false,
            (error: unknown) => error instanceof Error && message.test(error.message),
          ),
        { what: `a refusal matching ${String(message)}`, timeoutMs: 30_000, intervalMs: 200 },
      );
    await refusedBy(
      () =>
        client.resource(deploymentKind).create(
          {
            apiVersion: API_VERSION,
            kind: 'Deployment',
            metadata: { name: 'zero', namespace: 'default' },
            spec: {
              selector: { matchLabels: { app: 'zero' } },
              strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } },
              template: template('zero'),
            },
          },
          { dryRun: true },
        ),
      /may not be 0 when `maxSurge` is 0/,
    );
    await refusedBy(
      () =>
        client.resource(statefulSetKind).create(
          {
            apiVersion: API_VERSION,
            kind: 'StatefulSet',
            metadata: { name: 'zero', namespace: 'default' },
            spec: {
              serviceName: 'zero',
              selector: { matchLabels: { app: 'zero' } },
              updateStrategy: { rollingUpdate: { maxUnavailable: 0 } },
              template: template('zero'),
            },
          },
          { dryRun: true },
        ),
      /spec\.updateStrategy\.rollingUpdate\.maxUnavailable: Invalid value: 0: cannot be 0/,
    );

    const samples = await applyWorkloadSamples(client, 'operators-main-test');
    for (const object of samples)
      await waitUntil(
        async () => {
          if (exited()) throw new Error(`the process exited: ${log}`);
          const live: KubernetesObject = await client
            .resource(kindOf(object))
            .get({ namespace: 'default', name: object.metadata?.name ?? '' });
          return objectProgress(live).ready;
        },
        { what: `${object.kind} ${object.metadata?.name} to be ready`, timeoutMs: 120_000, intervalMs: 500 },
      );

    const metrics = await httpGet(`http://127.0.0.1:${ports.metrics}/metrics`);
    assert.equal(metrics.status, 200);
    const series = metrics.body.split('\n');
    const counted = (name: string, ...labels: string[]) =>
      series.some(
        (line) => line.startsWith(`${name}{`) && labels.every((l) => line.includes(l)) && !/ 0$/.test(line),
      );
    for (const controller of ['deployment', 'replicaset', 'statefulset'])
      assert.ok(
        counted('controller_runtime_reconcile_total', `controller="${controller}"`, 'result="success"'),
        `${controller} reconciled`,
      );
    // The webhook server shares the manager's registry: one /metrics for the whole process.
    for (const path of [
      '/validate-apps-typerator-dev-v1-deployment',
      '/mutate-apps-typerator-dev-v1-statefulset',
    ])
      assert.ok(counted('controller_runtime_webhook_requests_total', `webhook="${path}"`), path);
  });

  it('stops gracefully on SIGTERM: exit 0', async () => {
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0, log.slice(-2000));
  });
});

describe('bad input to the runner: one line, exit code 1', () => {
  const env = cleanEnvironment();
  const run = (args: readonly string[]) =>
    runProcess(process.execPath, args, { env, cwd: repo, timeoutMs: 60_000 });
  const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

  it('an unknown flag: commander’s error on stderr', async () => {
    for (const args of [
      [main, '--operator', 'deployment'],
      [cli, 'run', '--bogus'],
    ]) {
      const result = await run(args);
      assert.equal(result.code, 1, result.stderr);
      assert.equal(result.stdout, '');
      assert.equal(lines(result.stderr).length, 1, result.stderr);
      assert.match(result.stderr, /^error: unknown option '--(operator|bogus)'.*\(see --help\)\n$/);
    }
  });

  it('an unknown operator or a malformed value: one log line naming the flag or variable', async () => {
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [
        [main, '--operators', 'deployments'],
        {},
        /--operators=deployments names an unknown operator \\"deployments\\": use a comma-separated list of deployment, statefulset/,
      ],
      [
        [cli, 'run', '--operators', 'replicaset'],
        {},
        /--operators=replicaset names an unknown operator \\"replicaset\\": use a comma-separated list of deployment, statefulset/,
      ],
      [[main], { METRICS_BIND_ADDRESS: 'eighty' }, /METRICS_BIND_ADDRESS=eighty is not a bind address/],
      [[cli, 'run', '--log-level', 'loud'], {}, /--log-level=loud is not a log level/],
    ];
    for (const [args, extra, message] of cases) {
      const result = await runProcess(process.execPath, args, {
        env: { ...env, ...extra },
        cwd: repo,
        timeoutMs: 60_000,
      });
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.equal(lines(result.stdout + result.stderr).length, 1, result.stdout + result.stderr);
      assert.match(result.stdout, message);
    }
  });

  it('typerator run --help lists every flag with its variable, and the project’s operators', async () => {
    const result = await run([cli, 'run', '--help']);
    assert.equal(result.code, 0, result.stderr);
    for (const setting of Object.values(RUN_SETTINGS)) {
      assert.ok(result.stdout.includes(setting.flag), setting.flag);
      assert.ok(result.stdout.includes(`env ${setting.variable}`), setting.variable);
    }
    assert.match(result.stdout, /comma-separated: deployment, statefulset/);
  });
});
