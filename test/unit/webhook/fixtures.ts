// Shared by the webhook unit and integration tests: a serving certificate on disk, a started
// server on 127.0.0.1, and a small HTTPS client that trusts its CA.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { CertificateAuthority } from '../../../sdk/pki/certificate-authority.ts';
import { WebhookServer, type WebhookServerOptions } from '../../../sdk/webhook/index.ts';

/** A CA and a 127.0.0.1 serving pair written to `dir` as tls.crt/tls.key. */
export interface ServingFiles {
  readonly dir: string;
  readonly caPem: string;
  readonly certFile: string;
  readonly keyFile: string;
  remove(): void;
}

export async function writeServingFiles(): Promise<ServingFiles> {
  const dir = mkdtempSync(join(tmpdir(), 'typerator-webhook-'));
  const ca = await CertificateAuthority.create('webhook-test-ca');
  const pair = await ca.issue({
    commonName: 'webhook',
    usage: 'server',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
  });
  const certFile = join(dir, 'tls.crt');
  const keyFile = join(dir, 'tls.key');
  writeFileSync(certFile, pair.certPem);
  writeFileSync(keyFile, pair.keyPem);
  return {
    dir,
    caPem: ca.certPem,
    certFile,
    keyFile,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A quiet logger, so expected handler errors do not flood the test output. */
export const silentLogger = pino({ level: 'silent' });

/** A server with a fresh certificate, listening on 127.0.0.1 with a free port; not yet started. */
export async function newTestServer(
  options: Partial<WebhookServerOptions> = {},
): Promise<{ server: WebhookServer; files: ServingFiles }> {
  const files = await writeServingFiles();
  const server = new WebhookServer({
    host: '127.0.0.1',
    port: 0,
    certDir: files.dir,
    logger: silentLogger,
    ...options,
  });
  return { server, files };
}

/** What {@link send} got back. */
export interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  /** The body parsed as JSON; the caller states what it expects. */
  json(): unknown;
}

/** Options for {@link send}. */
export interface SendOptions {
  readonly method?: string;
  readonly contentType?: string | null;
  readonly headers?: Record<string, string>;
}

/** Sends one request to the server (a new connection each time) and reads the whole reply. */
export function send(
  url: string,
  caPem: string,
  body: string | Buffer | undefined,
  options: SendOptions = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
    if (contentType !== null) headers['content-type'] = contentType;
    const outgoing = httpsRequest(
      url,
      { method: options.method ?? 'POST', ca: caPem, headers, agent: false },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: incoming.statusCode ?? 0,
            contentType: incoming.headers['content-type'] ?? '',
            text,
            json: () => JSON.parse(text) as unknown,
          });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** A minimal, valid AdmissionReview request body. */
export function admissionReview(request: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'uid-1',
      kind: { group: '', version: 'v1', kind: 'ConfigMap' },
      resource: { group: '', version: 'v1', resource: 'configmaps' },
      operation: 'CREATE',
      namespace: 'default',
      name: 'settings',
      userInfo: { username: 'alice', groups: ['system:authenticated'] },
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } },
      oldObject: null,
      dryRun: false,
      ...request,
    },
  };
}

/** The `response` of an AdmissionReview reply. */
export interface ReviewResponse {
  uid: string;
  allowed: boolean;
  status?: { code?: number; message?: string; reason?: string };
  patchType?: string;
  patch?: string;
  warnings?: string[];
}

export function reviewResponse(reply: Reply): ReviewResponse {
  return (reply.json() as { response: ReviewResponse }).response;
}
