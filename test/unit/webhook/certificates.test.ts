import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CertificateAuthority } from '../../../sdk/pki/certificate-authority.ts';
import {
  allow,
  CertificateWatcher,
  ensureDevCertificates,
  readServingKeyPair,
  WebhookServer,
  type ServingKeyPair,
} from '../../../sdk/webhook/index.ts';
import { waitUntil } from '../../../sdk/testing/index.ts';
import { admissionReview, reviewResponse, send, silentLogger, writeServingFiles } from './fixtures.ts';

describe('development certificates', () => {
  it('writes a CA and a serving certificate for 127.0.0.1, localhost and the Service names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'typerator-devcert-'));
    try {
      const generated = await ensureDevCertificates({ dir, serviceName: 'hooks', namespace: 'ops' });
      const certificate = new X509Certificate(readFileSync(generated.certFile));
      const alternativeNames = certificate.subjectAltName ?? '';
      for (const name of ['localhost', 'hooks', 'hooks.ops', 'hooks.ops.svc', 'hooks.ops.svc.cluster.local'])
        assert.ok(alternativeNames.includes(`DNS:${name}`), `${name} in ${alternativeNames}`);
      assert.ok(alternativeNames.includes('IP Address:127.0.0.1'));
      assert.ok(certificate.verify(new X509Certificate(generated.caPem).publicKey));
      assert.equal(readFileSync(generated.caFile, 'utf8'), generated.caPem);

      const again = await ensureDevCertificates({ dir, serviceName: 'hooks', namespace: 'ops' });
      assert.equal(again.caPem, generated.caPem, 'a valid set is reused');
      const renamed = await ensureDevCertificates({ dir, serviceName: 'other', namespace: 'ops' });
      assert.notEqual(renamed.caPem, generated.caPem, 'a set missing a needed name is replaced');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets a server start in dev mode and a client trusting the dev CA call it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'typerator-devcert-'));
    const server = new WebhookServer({
      host: '127.0.0.1',
      port: 0,
      logger: silentLogger,
      devCertificates: { dir },
    });
    server.validate({ group: '', version: 'v1', kind: 'ConfigMap' }, () => allow());
    try {
      await server.start();
      const caPem = server.devCaPem ?? '';
      assert.match(caPem, /BEGIN CERTIFICATE/);
      const reply = await send(
        `${server.url}/validate--v1-configmap`,
        caPem,
        JSON.stringify(admissionReview({})),
      );
      assert.equal(reviewResponse(reply).allowed, true);
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CertificateWatcher', () => {
  it('refuses a key that does not match the certificate', async () => {
    const files = await writeServingFiles();
    try {
      const other = await (
        await CertificateAuthority.create('other')
      ).issue({ commonName: 'x', usage: 'server' });
      writeFileSync(files.keyFile, other.keyPem);
      assert.throws(() => readServingKeyPair(files), /not a valid pair/);
    } finally {
      files.remove();
    }
  });

  it('reports a new pair once both files are replaced, skipping the half-written state', async () => {
    const files = await writeServingFiles();
    const seen: ServingKeyPair[] = [];
    const watcher = new CertificateWatcher(files, {
      logger: silentLogger,
      debounceMs: 20,
      pollIntervalMs: 0,
      onChange: (pair) => seen.push(pair),
    });
    try {
      watcher.start();
      const next = await (
        await CertificateAuthority.create('next')
      ).issue({ commonName: 'y', usage: 'server' });
      writeFileSync(files.certFile, next.certPem);
      // The new certificate with the old key is not a pair; nothing may be reported for it.
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(seen.length, 0);
      writeFileSync(files.keyFile, next.keyPem);
      await waitUntil(() => seen.length === 1, { what: 'the new pair to be reported', timeoutMs: 5_000 });
      assert.equal(seen[0]?.cert.toString(), next.certPem);
    } finally {
      watcher.stop();
      files.remove();
    }
  });
});
