import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CertificateFiles } from './certificate-watcher.ts';

/** Options for {@link ensureDevCertificates}. */
export interface DevCertificateOptions {
  /** Folder the CA and serving pair are written to (`ca.crt`, `tls.crt`, `tls.key`). */
  readonly dir: string;
  /** The webhook Service name, for the in-cluster DNS names; default `webhook-service`. */
  readonly serviceName?: string;
  /** The Service's namespace; default `default`. */
  readonly namespace?: string;
  readonly extraDnsNames?: readonly string[];
  readonly extraIpAddresses?: readonly string[];
  /** Validity of the CA and serving certificate; default 7 days. */
  readonly validForHours?: number;
}

/** The files of a development certificate, and its CA for webhook `caBundle`s. */
export interface DevCertificates extends CertificateFiles {
  readonly caFile: string;
  readonly caPem: string;
}

const DAY_MS = 86_400_000;

/** The names a webhook Service is reached by from the apiserver, plus local ones. */
export function devCertificateNames(options: DevCertificateOptions): {
  dnsNames: string[];
  ipAddresses: string[];
} {
  const service = options.serviceName ?? 'webhook-service';
  const namespace = options.namespace ?? 'default';
  return {
    dnsNames: [
      'localhost',
      service,
      `${service}.${namespace}`,
      `${service}.${namespace}.svc`,
      `${service}.${namespace}.svc.cluster.local`,
      ...(options.extraDnsNames ?? []),
    ],
    ipAddresses: ['127.0.0.1', ...(options.extraIpAddresses ?? [])],
  };
}

function reusable(files: DevCertificates, names: ReturnType<typeof devCertificateNames>): boolean {
  if (![files.caFile, files.certFile, files.keyFile].every((file) => existsSync(file))) return false;
  try {
    const certificate = new X509Certificate(readFileSync(files.certFile));
    const ca = new X509Certificate(files.caPem);
    const longEnough = Date.parse(certificate.validTo) - Date.now() > DAY_MS;
    const namesCovered =
      names.dnsNames.every((name) => certificate.checkHost(name, { wildcards: false }) !== undefined) &&
      names.ipAddresses.every((ip) => certificate.checkIP(ip) !== undefined);
    return longEnough && namesCovered && certificate.verify(ca.publicKey);
  } catch {
    return false;
  }
}

/**
 * Development mode: makes sure `dir` holds a CA and a serving certificate it signed, for 127.0.0.1,
 * localhost and the Service's in-cluster names. An existing, still valid set is reused so the CA
 * bundle already patched into the cluster keeps working across restarts.
 */
export async function ensureDevCertificates(options: DevCertificateOptions): Promise<DevCertificates> {
  mkdirSync(options.dir, { recursive: true });
  const caFile = join(options.dir, 'ca.crt');
  const names = devCertificateNames(options);
  const existing: DevCertificates = {
    caFile,
    certFile: join(options.dir, 'tls.crt'),
    keyFile: join(options.dir, 'tls.key'),
    caPem: existsSync(caFile) ? readFileSync(caFile, 'utf8') : '',
  };
  if (reusable(existing, names)) return existing;
  const validForHours = options.validForHours ?? 168;
  // Loaded on first need: the X.509 stack (@peculiar/x509, reflect-metadata, asn1) costs an operator
  // that is given its certificates megabytes it never uses.
  const { CertificateAuthority } = await import('../pki/certificate-authority.ts');
  const ca = await CertificateAuthority.create('typerator-webhook-dev-ca', validForHours);
  const serving = await ca.issue({
    commonName: options.serviceName ?? 'webhook-service',
    usage: 'server',
    dnsNames: names.dnsNames,
    ipAddresses: names.ipAddresses,
    validForHours,
  });
  writeFileSync(existing.keyFile, serving.keyPem, { mode: 0o600 });
  writeFileSync(existing.certFile, serving.certPem);
  writeFileSync(caFile, ca.certPem);
  return { ...existing, caPem: ca.certPem };
}
