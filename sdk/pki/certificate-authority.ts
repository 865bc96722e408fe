// @peculiar/x509 resolves its ASN.1 providers through tsyringe, which needs this polyfill loaded first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(globalThis.crypto);

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const HOUR_MS = 3_600_000;

/** A certificate and its private key, both PEM encoded. */
export interface KeyPairPem {
  readonly certPem: string;
  readonly keyPem: string;
}

/** What a leaf certificate is for and whom it names. */
export interface LeafCertificateRequest {
  /** Subject common name, e.g. `admin` or `webhook-server`. */
  readonly commonName: string;
  /** Subject organizations; Kubernetes reads them as the user's groups (e.g. `system:masters`). */
  readonly organizations?: readonly string[];
  /** DNS names and IP addresses the certificate is valid for (server certificates). */
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly usage: 'server' | 'client' | 'server-and-client';
  /** Validity from now; default 7 days, like envtest. */
  readonly validForHours?: number;
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return await webcrypto.subtle.generateKey(ECDSA_P256, true, ['sign', 'verify']);
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

function subjectName(commonName: string, organizations: readonly string[] = []): string {
  const escape = (value: string) => value.replace(/([,+"\\<>;=])/g, '\\$1');
  return [`CN=${escape(commonName)}`, ...organizations.map((o) => `O=${escape(o)}`)].join(', ');
}

/**
 * A private certificate authority that signs server and client certificates with ECDSA P-256 keys.
 * Used for the local control plane's TLS and for webhook development certificates.
 */
export class CertificateAuthority {
  readonly certPem: string;
  readonly keyPem: string;
  private readonly certificate: x509.X509Certificate;
  private readonly keys: CryptoKeyPair;

  private constructor(certificate: x509.X509Certificate, keys: CryptoKeyPair, keyPem: string) {
    this.certificate = certificate;
    this.keys = keys;
    this.certPem = certificate.toString('pem');
    this.keyPem = keyPem;
  }

  /** Creates a new self-signed CA valid for `validForHours` (default 7 days). */
  static async create(commonName: string, validForHours = 168): Promise<CertificateAuthority> {
    const keys = await generateKeys();
    const now = Date.now();
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
      name: subjectName(commonName),
      notBefore: new Date(now - HOUR_MS),
      notAfter: new Date(now + validForHours * HOUR_MS),
      signingAlgorithm: ECDSA_P256,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    return new CertificateAuthority(certificate, keys, await privateKeyPem(keys.privateKey));
  }

  /** Issues a leaf certificate with a fresh key pair. */
  async issue(request: LeafCertificateRequest): Promise<KeyPairPem> {
    const keys = await generateKeys();
    const now = Date.now();
    const extendedUsages: string[] = [];
    if (request.usage !== 'client') extendedUsages.push(x509.ExtendedKeyUsage.serverAuth);
    if (request.usage !== 'server') extendedUsages.push(x509.ExtendedKeyUsage.clientAuth);
    const alternativeNames: x509.JsonGeneralName[] = [
      ...(request.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
      ...(request.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
    ];
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension(extendedUsages, false),
      await x509.AuthorityKeyIdentifierExtension.create(this.keys.publicKey),
    ];
    if (alternativeNames.length > 0)
      extensions.push(new x509.SubjectAlternativeNameExtension(alternativeNames));
    const certificate = await x509.X509CertificateGenerator.create({
      subject: subjectName(request.commonName, request.organizations),
      issuer: this.certificate.subject,
      notBefore: new Date(now - HOUR_MS),
      notAfter: new Date(now + (request.validForHours ?? 168) * HOUR_MS),
      signingAlgorithm: ECDSA_P256,
      publicKey: keys.publicKey,
      signingKey: this.keys.privateKey,
      extensions,
    });
    return { certPem: certificate.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
  }
}

/** A bare signing key pair (PEM), e.g. for service-account token signing. */
export async function generateSigningKeyPair(): Promise<{ publicKeyPem: string; privateKeyPem: string }> {
  const keys = await generateKeys();
  const spki = await webcrypto.subtle.exportKey('spki', keys.publicKey);
  return {
    publicKeyPem: x509.PemConverter.encode(spki, 'PUBLIC KEY'),
    privateKeyPem: await privateKeyPem(keys.privateKey),
  };
}
