// `npm run bench -- webhook`: requests per second and p50/p99 latency of a validating (and a
// mutating) webhook served by the SDK, against a bare node:https server that parses the same
// AdmissionReview and answers allowed. The servers run in this process; autocannon runs in a child
// process (this same file, started with WEBHOOK_BENCH_ROLE=load) so they never share an event loop.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';
import { pino } from 'pino';
import { CertificateAuthority } from '../../sdk/pki/certificate-authority.ts';
import { allow, deny, WebhookServer } from '../../sdk/webhook/index.ts';
import type { Benchmark, BenchTable } from './bench-table.ts';

const CONNECTIONS = 16;
const DURATION_SECONDS = 10;
const WARMUP_SECONDS = 2;

/** What the load generator child reports for one run. */
export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly total: number;
  readonly non2xx: number;
  readonly errors: number;
}

/** A ConfigMap CREATE review of about 1 KiB, as the apiserver would send it; `data` replaces its data. */
export function admissionReviewBody(
  data: Record<string, string> = Object.fromEntries(
    Array.from({ length: 16 }, (_, i) => [`key-${i}`, `value-${i}-`.repeat(4)]),
  ),
): string {
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
      kind: { group: '', version: 'v1', kind: 'ConfigMap' },
      resource: { group: '', version: 'v1', resource: 'configmaps' },
      requestKind: { group: '', version: 'v1', kind: 'ConfigMap' },
      requestResource: { group: '', version: 'v1', resource: 'configmaps' },
      name: 'settings',
      namespace: 'team-a',
      operation: 'CREATE',
      userInfo: { username: 'alice', uid: '014fbff9a07c', groups: ['system:authenticated', 'team-a'] },
      object: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace: 'team-a', labels: { app: 'shop', tier: 'backend' } },
        data,
      },
      oldObject: null,
      dryRun: false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
    },
  });
}

/** The peer: no SDK, no express; parse the review and answer allowed. */
function bareServer(pair: { certPem: string; keyPem: string }): Server {
  return createServer({ cert: pair.certPem, key: pair.keyPem }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { request: { uid: string } };
      const body = JSON.stringify({
        apiVersion: 'admission.k8s.io/v1',
        kind: 'AdmissionReview',
        response: { uid: review.request.uid, allowed: true },
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
  });
}

/**
 * Runs autocannon in a child process (this file in its load role, so the load generator never shares
 * the measured server's process) against `url` and returns its summary.
 */
export function loadFromChild(url: string, caPem: string, seconds: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
      env: {
        ...process.env,
        WEBHOOK_BENCH_ROLE: 'load',
        WEBHOOK_BENCH_URL: url,
        WEBHOOK_BENCH_CA: caPem,
        WEBHOOK_BENCH_SECONDS: String(seconds),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(output) as LoadResult);
      else reject(new Error(`the load generator exited with ${code}: ${output}`));
    });
  });
}

/** Child role: one autocannon run, summary as JSON on stdout. */
async function generateLoad(): Promise<void> {
  const { default: autocannon } = await import('autocannon');
  // autocannon's own histogram has 1 ms resolution; loopback latencies need finer, so record each.
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: process.env['WEBHOOK_BENCH_URL'] ?? '',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: admissionReviewBody(),
        connections: CONNECTIONS,
        pipelining: 1,
        duration: Number(process.env['WEBHOOK_BENCH_SECONDS']),
        tlsOptions: { ca: process.env['WEBHOOK_BENCH_CA'] },
      },
      (error: unknown, finished) => {
        if (error) reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }));
        else resolve(finished);
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  });
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  const summary: LoadResult = {
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: percentile(0.5),
    p99Ms: percentile(0.99),
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
  process.stdout.write(JSON.stringify(summary));
}

async function measure(url: string, caPem: string): Promise<LoadResult> {
  await loadFromChild(url, caPem, WARMUP_SECONDS);
  return await loadFromChild(url, caPem, DURATION_SECONDS);
}

const listen = (server: Server) =>
  new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });

const ratio = (ours: number, peer: number) => (peer === 0 ? 'n/a' : `${(ours / peer).toFixed(2)}×`);

const benchmark: Benchmark = {
  name: 'webhook',
  async run(): Promise<BenchTable> {
    const dir = mkdtempSync(join(tmpdir(), 'typerator-webhook-bench-'));
    const ca = await CertificateAuthority.create('webhook-bench-ca');
    const pair = await ca.issue({ commonName: 'bench', usage: 'server', ipAddresses: ['127.0.0.1'] });
    writeFileSync(join(dir, 'tls.crt'), pair.certPem);
    writeFileSync(join(dir, 'tls.key'), pair.keyPem);

    const sdk = new WebhookServer({
      host: '127.0.0.1',
      port: 0,
      certDir: dir,
      logger: pino({ level: 'warn' }),
    });
    sdk.validate<{ data?: Record<string, string> }>(
      { group: '', version: 'v1', kind: 'ConfigMap' },
      (context) => (context.object?.data?.['forbidden'] === undefined ? allow() : deny('forbidden key')),
    );
    sdk.mutate<{ metadata: { labels?: Record<string, string> } }>(
      { group: '', version: 'v1', kind: 'ConfigMap' },
      (context) => {
        context.object.metadata.labels = { ...context.object.metadata.labels, checked: 'true' };
        return undefined;
      },
    );
    const peer = bareServer(pair);
    try {
      await sdk.start();
      const peerPort = await listen(peer);
      const bare = await measure(`https://127.0.0.1:${peerPort}/validate`, ca.certPem);
      const validating = await measure(`${sdk.url}/validate--v1-configmap`, ca.certPem);
      const mutating = await measure(`${sdk.url}/mutate--v1-configmap`, ca.certPem);
      const row = (label: string, result: LoadResult) => [
        label,
        Math.round(result.requestsPerSecond),
        result.p50Ms.toFixed(3),
        result.p99Ms.toFixed(3),
        result.total,
        result.non2xx + result.errors,
      ];
      return {
        title: `Validating webhook on loopback (${CONNECTIONS} connections, ${DURATION_SECONDS} s, ~${admissionReviewBody().length} B review)`,
        columns: ['server', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx + errors'],
        rows: [
          row('bare node:https (peer)', bare),
          row('SDK validate', validating),
          row('SDK mutate (JSON patch)', mutating),
        ],
        notes: [
          `SDK validate vs peer: throughput ${ratio(validating.requestsPerSecond, bare.requestsPerSecond)}, ` +
            `p50 ${ratio(validating.p50Ms, bare.p50Ms)}, p99 ${ratio(validating.p99Ms, bare.p99Ms)}`,
          `SDK mutate vs peer: throughput ${ratio(mutating.requestsPerSecond, bare.requestsPerSecond)}, ` +
            `p50 ${ratio(mutating.p50Ms, bare.p50Ms)}, p99 ${ratio(mutating.p99Ms, bare.p99Ms)}`,
          `Load from autocannon in a child process after a ${WARMUP_SECONDS} s warm-up per server; ` +
            `servers share this process, one measured at a time; Node ${process.version}.`,
        ],
      };
    } finally {
      await sdk.stop();
      await new Promise((resolve) => peer.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default benchmark;

if (process.env['WEBHOOK_BENCH_ROLE'] === 'load') await generateLoad();
