// A webhook-only process imports typerator/webhook; it must not load all of @kubernetes/client-node
// (about 0.3 s of CPU and 60 MiB before any work), which only the CA-bundle injector needs, nor
// express (about 12 MiB of RSS in an idle operator), which only routes added to `app` need.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { packageUrlsLoadedBy } from '../../support/packages-loaded-by.ts';

const importWebhook = `const webhook = await import('./sdk/webhook/index.ts');`;

describe('typerator/webhook', () => {
  it('loads without @kubernetes/client-node or express', async () => {
    // The probe sees the module's own imports: prom-client is one of them.
    assert.notDeepEqual(await packageUrlsLoadedBy('prom-client', importWebhook), []);
    assert.deepEqual(await packageUrlsLoadedBy('@kubernetes/client-node', importWebhook), []);
    assert.deepEqual(await packageUrlsLoadedBy('express', importWebhook), []);
  });

  it('serves a review without express, and loads it once app is used', async () => {
    const certificates = mkdtempSync(join(tmpdir(), 'typerator-import-cost-'));
    // Starts a server, posts one review and fails (exit code 1) unless it is allowed.
    const serveOneReview = `${importWebhook}
      const { request } = await import('node:https');
      const { pino } = await import('pino');
      const server = new webhook.WebhookServer({ host: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }), devCertificates: { dir: ${JSON.stringify(certificates)} } });
      server.validate({ group: '', version: 'v1', kind: 'ConfigMap' }, () => webhook.allow());
      await server.start();
      const review = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'u1', operation: 'CREATE' } });
      const answer = await new Promise((resolve, reject) => {
        const outgoing = request(server.url + '/validate--v1-configmap', { method: 'POST', ca: server.devCaPem, headers: { 'content-type': 'application/json' } }, (incoming) => {
          let text = '';
          incoming.on('data', (chunk) => { text += chunk; }).on('end', () => resolve(text)).on('error', reject);
        });
        outgoing.on('error', reject);
        outgoing.end(review);
      });
      if (JSON.parse(answer).response?.allowed !== true) throw new Error('not allowed: ' + answer);
      await server.stop();`;
    try {
      assert.deepEqual(await packageUrlsLoadedBy('express', serveOneReview), []);
      assert.notDeepEqual(await packageUrlsLoadedBy('express', `${serveOneReview} server.app;`), []);
    } finally {
      rmSync(certificates, { recursive: true, force: true });
    }
  });
});
