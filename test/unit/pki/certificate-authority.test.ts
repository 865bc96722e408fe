import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, it } from 'node:test';
import { CertificateAuthority, generateSigningKeyPair } from '../../../sdk/pki/certificate-authority.ts';

describe('CertificateAuthority', () => {
  it('issues a server certificate that chains to the CA and names its SANs', async () => {
    const ca = await CertificateAuthority.create('test-ca');
    const leaf = await ca.issue({
      commonName: 'server',
      usage: 'server',
      ipAddresses: ['127.0.0.1'],
      dnsNames: ['localhost'],
    });
    const caCert = new X509Certificate(ca.certPem);
    const cert = new X509Certificate(leaf.certPem);
    assert.equal(caCert.ca, true);
    assert.equal(cert.ca, false);
    assert.ok(cert.verify(caCert.publicKey), 'leaf is signed by the CA');
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(cert.checkHost('localhost'), 'localhost');
    assert.equal(cert.checkHost('example.com'), undefined);
    assert.ok(cert.checkPrivateKey(createPrivateKey(leaf.keyPem)));
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1']);
  });

  it('puts organizations in the subject of client certificates (Kubernetes groups)', async () => {
    const ca = await CertificateAuthority.create('test-ca');
    const client = await ca.issue({
      commonName: 'admin',
      organizations: ['system:masters'],
      usage: 'client',
    });
    const cert = new X509Certificate(client.certPem);
    assert.match(cert.subject, /CN=admin/);
    assert.match(cert.subject, /O=system:masters/);
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2']);
  });

  it('generates a signing key pair whose halves match', async () => {
    const pair = await generateSigningKeyPair();
    const fromPrivate = createPublicKey(createPrivateKey(pair.privateKeyPem)).export({
      format: 'pem',
      type: 'spki',
    });
    assert.equal(fromPrivate, pair.publicKeyPem.replace(/\r\n/g, '\n').trimEnd() + '\n');
  });
});
