import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { pino } from 'pino';
import { Client } from '../../../sdk/client/client.ts';
import { InvalidError } from '../../../sdk/client/errors.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { Manager } from '../../../sdk/manager/manager.ts';
import { startControlPlane, waitUntil, type ControlPlane } from '../../../sdk/testing/index.ts';
import { allow, deny, validatingWebhookConfiguration } from '../../../sdk/webhook/index.ts';

describe('a manager hosting a webhook server', () => {
  let plane: ControlPlane;
  let client: Client;
  let manager: Manager;
  const stop = new AbortController();
  let running: Promise<void>;
  const certs = mkdtempSync(join(tmpdir(), 'typerator-mgr-webhook-'));

  before(async () => {
    plane = await startControlPlane();
    client = await Client.fromKubeConfig(plane.kubeConfig());
    await client
      .resource(kinds.Namespace)
      .create({ metadata: { name: 'guarded', labels: { guarded: 'yes' } } });
    manager = await Manager.create({
      kubeConfig: plane.kubeConfig(),
      metricsBindAddress: '127.0.0.1:0',
      healthProbeBindAddress: false,
      logger: pino({ level: 'warn' }),
    });
    const webhooks = await manager.webhookServer({
      host: '127.0.0.1',
      port: 0,
      devCertificates: { dir: certs },
    });
    webhooks.validate<V1ConfigMap>(
      {
        group: '',
        version: 'v1',
        kind: 'ConfigMap',
        resource: 'configmaps',
        namespaceSelector: { matchLabels: { guarded: 'yes' } },
      },
      ({ object }) =>
        object?.data?.['secret'] ? deny('ConfigMaps in "guarded" must not hold secrets') : allow(),
    );
    running = manager.start(stop.signal);
    // The port getter throws until the server listens; waitUntil treats that as "not yet".
    await waitUntil(() => webhooks.port > 0, { what: 'the webhook server to listen', timeoutMs: 30_000 });
    await client.resource(kinds.ValidatingWebhookConfiguration).create(
      validatingWebhookConfiguration(webhooks, {
        name: 'guarded-configmaps',
        endpoint: { url: webhooks.url, caBundlePem: readFileSync(join(certs, 'ca.crt'), 'utf8') },
      }),
    );
  });

  after(async () => {
    stop.abort();
    await running;
    client.close();
    await plane.stop();
    rmSync(certs, { recursive: true, force: true });
  });

  it('serves admission requests from the apiserver and reports them on the manager’s /metrics', async () => {
    const maps = client.resource(kinds.ConfigMap);
    await waitUntil(
      () =>
        maps
          .create(
            { metadata: { name: `probe-${Date.now()}`, namespace: 'guarded' }, data: { secret: 'x' } },
            { dryRun: true },
          )
          .then(
            () => false,
            (error: unknown) =>
              error instanceof InvalidError ||
              (error instanceof Error && /must not hold secrets/.test(error.message)),
          ),
      { what: 'the webhook to be in effect', timeoutMs: 30_000 },
    );
    await assert.rejects(
      maps.create({ metadata: { name: 'leaky', namespace: 'guarded' }, data: { secret: 'hunter2' } }),
      /must not hold secrets/,
    );
    const fine = await maps.create({
      metadata: { name: 'fine', namespace: 'guarded' },
      data: { colour: 'green' },
    });
    assert.equal(fine.metadata?.name, 'fine');
    const metrics = await (await fetch(`http://127.0.0.1:${manager.metricsPort}/metrics`)).text();
    assert.match(metrics, /controller_runtime_webhook_requests_total\{webhook="[^"]+",code="200"\} [1-9]/);
  });
});
