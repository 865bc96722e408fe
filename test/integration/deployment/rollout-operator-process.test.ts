// The operator as it is deployed: operators/deployment/main.ts in its own process (leader election,
// configuration from the environment, admission webhooks on a certificate folder), driven and
// observed with `typerator rollout status`.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { freePort } from '../../../sdk/testing/free-port.ts';
import { startControlPlane, waitUntil, type ControlPlane } from '../../../sdk/testing/index.ts';
import { WebhookServer, ensureDevCertificates } from '../../../sdk/webhook/index.ts';
import { API_VERSION } from '../../../operators/deployment/api/types.ts';
import { deploymentKind } from '../../../operators/deployment/kinds.ts';
import {
  deploymentWebhookConfigurations,
  registerDeploymentWebhooks,
} from '../../../operators/deployment/webhooks/setup-deployment-webhooks.ts';
import { startOperatorMain, type OperatorMainProcess } from '../../support/operator-main-process.ts';
import { installGeneratedCrds } from '../../support/install-crds.ts';
import { runProcess, type ProcessResult } from '../../support/run-process.ts';

const cli = fileURLToPath(new URL('../../../bin/typerator.js', import.meta.url));

const run = (args: readonly string[]): Promise<ProcessResult> => runProcess(process.execPath, args);

describe('operators/deployment/main.ts as a process', () => {
  let plane: ControlPlane;
  let client: Client;
  let operator: OperatorMainProcess;
  let webhookPort: number;
  let caPem: string;
  const certs = mkdtempSync(join(tmpdir(), 'typerator-deployment-main-'));

  before(async () => {
    plane = await startControlPlane({ tier: 'full', nodes: 1 });
    client = await Client.fromKubeConfig(plane.kubeConfig());
    await installGeneratedCrds(client);
    caPem = (await ensureDevCertificates({ dir: certs })).caPem;
    webhookPort = await freePort();
    operator = startOperatorMain('deployment', {
      env: {
        KUBECONFIG: plane.kubeconfigPath,
        POD_NAMESPACE: 'default',
        METRICS_BIND_ADDRESS: '127.0.0.1:0',
        LOG_LEVEL: 'info',
        DEPLOYMENT_OPERATOR_WEBHOOK_CERT_DIR: certs,
        DEPLOYMENT_OPERATOR_WEBHOOK_PORT: String(webhookPort),
      },
    });
  });
  after(async () => {
    operator.kill();
    client.close();
    await plane.stop();
    rmSync(certs, { recursive: true, force: true });
  });

  it('takes the lease, serves admission, rolls a Deployment out, and exits 0 on SIGTERM', async () => {
    const lease = await waitUntil(
      async () => {
        const found = await client
          .resource(kinds.Lease)
          .get({ namespace: 'default', name: 'typerator-deployment-operator' });
        return found.spec?.holderIdentity ? found : undefined;
      },
      { what: 'the operator to hold its lease', timeoutMs: 60_000, intervalMs: 250 },
    );
    assert.ok(lease.spec?.holderIdentity);

    // The same registrations as the process serves, for the configurations that route to it.
    const registrations = new WebhookServer();
    registerDeploymentWebhooks(registrations);
    const { mutating, validating } = deploymentWebhookConfigurations(registrations, {
      url: `https://127.0.0.1:${webhookPort}`,
      caBundlePem: caPem,
    });
    await client.resource(kinds.MutatingWebhookConfiguration).create(mutating);
    await client.resource(kinds.ValidatingWebhookConfiguration).create(validating);
    const zeroZero = {
      apiVersion: API_VERSION,
      kind: 'Deployment',
      metadata: { name: 'zero', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'zero' } },
        strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } },
        template: {
          metadata: { labels: { app: 'zero' } },
          spec: { containers: [{ name: 'c', image: 'x' }] },
        },
      },
    };
    await waitUntil(
      () =>
        client
          .resource(deploymentKind)
          .create(zeroZero, { dryRun: true })
          .then(
            () => false,
            (error: unknown) =>
              error instanceof Error && /may not be 0 when `maxSurge` is 0/.test(error.message),
          ),
      { what: 'the operator process to answer admission reviews', timeoutMs: 30_000, intervalMs: 200 },
    );

    const created = await client.resource(deploymentKind).create({
      apiVersion: API_VERSION,
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
        },
      },
    });
    assert.equal(created.spec.revisionHistoryLimit, 10, 'defaulted by the process');
    const status = await run([
      cli,
      'rollout',
      'status',
      'web',
      '--kubeconfig',
      plane.kubeconfigPath,
      '--timeout',
      '2m',
    ]);
    assert.equal(status.code, 0, `${status.stderr}\n${operator.log()}`);
    assert.match(status.stdout, /deployment "web" successfully rolled out\n$/);

    assert.equal(await operator.stop(), 0, operator.log());
    assert.match(operator.log(), /manager stopped/);
  });
});
