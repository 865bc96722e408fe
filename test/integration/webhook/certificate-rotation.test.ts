// Replacing the serving certificate files while a client and the apiserver keep calling the
// webhook: new connections get the new certificate, and no request fails.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { after, before, describe, it } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { AdmissionregistrationV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { CertificateAuthority } from '../../../sdk/pki/certificate-authority.ts';
import { allow, validatingWebhookConfiguration, WebhookServer } from '../../../sdk/webhook/index.ts';
import { startControlPlane, waitUntil, type ControlPlane } from '../../../sdk/testing/index.ts';
import {
  admissionReview,
  silentLogger,
  writeServingFiles,
  type ServingFiles,
} from '../../unit/webhook/fixtures.ts';

const NAMESPACE = 'rotation';

/** One request on a new connection; resolves with the fingerprint of the certificate the server showed. */
function callOnNewConnection(url: string, trustedCas: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const outgoing = httpsRequest(
      url,
      { method: 'POST', ca: trustedCas, agent: false, headers: { 'content-type': 'application/json' } },
      (incoming) => {
        const fingerprint = (incoming.socket as TLSSocket).getPeerCertificate().fingerprint256;
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            response?: { allowed?: boolean };
          };
          if (incoming.statusCode !== 200 || body.response?.allowed !== true)
            reject(new Error(`unexpected answer ${incoming.statusCode}: ${JSON.stringify(body)}`));
          else resolve(fingerprint);
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify(admissionReview({})));
  });
}

/** Writes a file the way a Secret volume or cert-manager would: a complete new file, renamed into place. */
function replaceFile(path: string, content: string): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

describe('serving certificate rotation', () => {
  let plane: ControlPlane;
  let kc: KubeConfig;
  let server: WebhookServer;
  let files: ServingFiles;
  let nextCa: CertificateAuthority;
  let apiserverCalls = 0;

  before(async () => {
    [plane, files, nextCa] = await Promise.all([
      startControlPlane(),
      writeServingFiles(),
      CertificateAuthority.create('webhook-next-ca'),
    ]);
    kc = plane.kubeConfig();
    server = new WebhookServer({
      host: '127.0.0.1',
      port: 0,
      certDir: files.dir,
      logger: silentLogger,
      certReloadDebounceMs: 50,
    });
    server.validate(
      {
        group: '',
        version: 'v1',
        kind: 'ConfigMap',
        namespaceSelector: { matchLabels: { 'typerator.dev/webhooks': 'on' } },
      },
      (context) => {
        if (context.uid !== 'uid-1') apiserverCalls++;
        return allow();
      },
    );
    await server.start();
    await kc.makeApiClient(CoreV1Api).createNamespace({
      body: { metadata: { name: NAMESPACE, labels: { 'typerator.dev/webhooks': 'on' } } },
    });
    // The apiserver trusts both CAs, as it would during a planned CA rotation.
    await kc.makeApiClient(AdmissionregistrationV1Api).createValidatingWebhookConfiguration({
      body: validatingWebhookConfiguration(server, {
        name: 'typerator-rotation',
        endpoint: { url: server.url, caBundlePem: `${files.caPem}\n${nextCa.certPem}` },
      }),
    });
    await waitUntil(
      async () => {
        const before = apiserverCalls;
        await kc.makeApiClient(CoreV1Api).createNamespacedConfigMap({
          namespace: NAMESPACE,
          body: { metadata: { name: 'probe' } },
          dryRun: 'All',
        });
        return apiserverCalls > before;
      },
      { what: 'the apiserver to call the webhook', timeoutMs: 30_000 },
    );
  });
  after(async () => {
    await server.stop();
    await plane.stop();
    files.remove();
  });

  it('serves the new certificate on new connections without failing a request', async () => {
    const url = `${server.url}/validate--v1-configmap`;
    const trusted = `${files.caPem}\n${nextCa.certPem}`;
    const oldFingerprint = new X509Certificate(readFileSync(files.certFile)).fingerprint256;
    const next = await nextCa.issue({ commonName: 'webhook', usage: 'server', ipAddresses: ['127.0.0.1'] });
    const newFingerprint = new X509Certificate(next.certPem).fingerprint256;
    assert.notEqual(newFingerprint, oldFingerprint);

    const seenByClient: string[] = [];
    const failures: unknown[] = [];
    let apiserverRequests = 0;
    const streams = new AbortController();
    const clientStream = (async () => {
      while (!streams.signal.aborted) {
        try {
          seenByClient.push(await callOnNewConnection(url, trusted));
        } catch (error) {
          failures.push(error);
        }
      }
    })();
    const core = kc.makeApiClient(CoreV1Api);
    const apiserverStream = (async () => {
      while (!streams.signal.aborted) {
        try {
          await core.createNamespacedConfigMap({
            namespace: NAMESPACE,
            body: {
              metadata: { name: `stream-${apiserverRequests}` },
              data: { n: String(apiserverRequests) },
            },
            dryRun: 'All',
          });
          apiserverRequests++;
        } catch (error) {
          failures.push(error);
        }
      }
    })();

    try {
      await waitUntil(() => seenByClient.length >= 20 && apiserverRequests >= 10, {
        what: 'traffic before the rotation',
        timeoutMs: 30_000,
      });
      // The key first, then the certificate: in between, the pair on disk does not match and the
      // server must keep serving the old one.
      replaceFile(files.keyFile, next.keyPem);
      replaceFile(files.certFile, next.certPem);
      const rotatedAt = seenByClient.length;
      const apiserverBefore = apiserverRequests;
      await waitUntil(() => seenByClient.slice(rotatedAt).includes(newFingerprint), {
        what: 'a new connection to get the new certificate',
        timeoutMs: 30_000,
      });
      const switchedAt = seenByClient.lastIndexOf(oldFingerprint) + 1;
      await waitUntil(
        () => seenByClient.length >= switchedAt + 20 && apiserverRequests >= apiserverBefore + 10,
        {
          what: 'traffic after the rotation',
          timeoutMs: 30_000,
        },
      );
    } finally {
      streams.abort();
      await Promise.all([clientStream, apiserverStream]);
    }

    assert.deepEqual(failures, []);
    assert.equal(seenByClient[0], oldFingerprint);
    const firstNew = seenByClient.indexOf(newFingerprint);
    assert.ok(firstNew > 0);
    assert.ok(
      seenByClient.slice(firstNew).every((fingerprint) => fingerprint === newFingerprint),
      'every connection after the switch shows the new certificate',
    );
    assert.ok(seenByClient.every((f) => f === oldFingerprint || f === newFingerprint));
  });
});
