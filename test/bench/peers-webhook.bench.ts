// Validating webhook, Typerator against controller-runtime (Go), part of `npm run bench -- peers`.
//
// Each side serves one validating admission handler for ConfigMaps in a process of its own, with the
// same decision (deny a ConfigMap whose data has a key "forbidden", allow any other) and the same
// development certificate (ensureDevCertificates), on 127.0.0.1 at /validate--v1-configmap:
//   - Typerator: WebhookServer, test/bench/peers/typerator-webhook.ts;
//   - controller-runtime: webhook.NewServer + webhook.Admission with an admission.Handler that
//     decodes the ConfigMap, the Go peer's webhook mode (test/bench/peers/controller-runtime/webhook.go).
// Both are loaded by webhook.bench.ts's own load generator (autocannon, 16 connections, the same
// ~1 KiB ConfigMap CREATE review), started as a child process in its load role: a warm-up, then the
// measured run. Measured: requests/s and p50/p99 latency (as the load generator sees them), and the
// server's CPU time (user + system, /proc/<pid>/stat before and after the measured run) per request.
//
// BENCH_PEERS_WEBHOOK_SECONDS (default 10), BENCH_PEERS_WEBHOOK_WARMUP_SECONDS (default 2) and
// BENCH_PEERS_WEBHOOK_TRIALS (default 3, alternating which side goes first: trial 1
// controller-runtime); every trial starts each server afresh.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../sdk/testing/free-port.ts';
import { waitUntil } from '../../sdk/testing/index.ts';
import { ensureDevCertificates } from '../../sdk/webhook/dev-certificates.ts';
import { median } from './audit-log.ts';
import type { BenchTable, Benchmark } from './bench-table.ts';
import { buildGoPeer, labelOf, sidesInOrderOf, stopChild, tail, type Side } from './peers/peer-process.ts';
import { memoryKiBOf, totalCpuSecondsOf } from './peers/process-stats.ts';
import { compiledPeer } from './peers/compiled.ts';
import { admissionReviewBody, loadFromChild, type LoadResult } from './webhook.bench.ts';
import { OPERATOR_NODE_FLAGS } from '../../sdk/runner/operator-node-flags.ts';

const SECONDS = Math.max(1, Number(process.env['BENCH_PEERS_WEBHOOK_SECONDS'] ?? 10));
const WARMUP_SECONDS = Math.max(1, Number(process.env['BENCH_PEERS_WEBHOOK_WARMUP_SECONDS'] ?? 2));
const TRIALS = Math.max(1, Number(process.env['BENCH_PEERS_WEBHOOK_TRIALS'] ?? 3));
/** webhook.bench.ts's load generator uses this many connections. */
const CONNECTIONS = 16;
const PATH = '/validate--v1-configmap';

const typeratorWebhook = compiledPeer(new URL('peers/typerator-webhook.ts', import.meta.url));

interface Run extends LoadResult {
  readonly side: Side;
  readonly trial: number;
  /** Server CPU (user + system) over the measured run, per request. */
  readonly cpuMicrosPerRequest: number;
  /** Server CPU over the measured run divided by its duration: cores kept busy. */
  readonly cores: number;
  readonly rssMiB: number;
  readonly peakRssMiB: number;
}

/** Sends a ConfigMap CREATE review with `data` and returns the server's decision. */
function decide(url: string, caPem: string, data: Record<string, string>): Promise<boolean> {
  const body = admissionReviewBody(data);
  return new Promise((resolve, reject) => {
    const sent = request(
      url,
      { method: 'POST', ca: caPem, headers: { 'content-type': 'application/json' }, timeout: 2_000 },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => {
          try {
            const review = JSON.parse(text) as { response?: { allowed?: boolean } };
            if (response.statusCode !== 200 || typeof review.response?.allowed !== 'boolean')
              throw new Error(`unexpected answer ${response.statusCode}: ${text}`);
            resolve(review.response.allowed);
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      },
    );
    sent.on('error', reject);
    sent.on('timeout', () => sent.destroy(new Error('timed out')));
    sent.end(body);
  });
}

async function runOnce(
  side: Side,
  trial: number,
  goPeer: string,
  folder: string,
  certs: { dir: string; caPem: string },
): Promise<Run> {
  const port = await freePort();
  const url = `https://127.0.0.1:${port}${PATH}`;
  const log = join(folder, `${side}-${trial}.log`);
  const output = openSync(log, 'w');
  const args = [`--cert-dir=${certs.dir}`, `--port=${port}`];
  const child: ChildProcess =
    side === 'typerator'
      ? spawn(process.execPath, [...OPERATOR_NODE_FLAGS, typeratorWebhook, ...args], {
          stdio: ['ignore', output, output],
        })
      : spawn(goPeer, ['webhook', ...args], { stdio: ['ignore', output, output] });
  closeSync(output);
  const pid = child.pid ?? 0;
  try {
    // Serving, and deciding alike: a forbidden key is denied, anything else allowed.
    await waitUntil(
      () =>
        decide(url, certs.caPem, { forbidden: 'x' }).then(
          (allowed) => !allowed,
          () => false,
        ),
      {
        what: `the ${side} webhook to serve`,
        timeoutMs: 30_000,
      },
    );
    if (!(await decide(url, certs.caPem, { fine: 'x' })))
      throw new Error(`the ${side} webhook denied an allowed ConfigMap`);
    await loadFromChild(url, certs.caPem, WARMUP_SECONDS);
    const cpuBefore = totalCpuSecondsOf(pid);
    const result = await loadFromChild(url, certs.caPem, SECONDS);
    const cpu = totalCpuSecondsOf(pid) - cpuBefore;
    const memory = memoryKiBOf(pid);
    const run: Run = {
      ...result,
      side,
      trial,
      cpuMicrosPerRequest: (cpu * 1e6) / result.total,
      cores: cpu / SECONDS,
      rssMiB: memory.rssKiB / 1024,
      peakRssMiB: memory.hwmKiB / 1024,
    };
    console.error(
      `  trial ${trial}, ${side}: ${Math.round(run.requestsPerSecond)} req/s, p50 ${run.p50Ms.toFixed(2)} ms, p99 ${run.p99Ms.toFixed(2)} ms, ${run.cpuMicrosPerRequest.toFixed(0)} µs CPU/request (${run.cores.toFixed(2)} cores), RSS ${run.rssMiB.toFixed(0)} MiB, ${run.non2xx + run.errors} non-2xx/errors`,
    );
    return run;
  } catch (error) {
    console.error(`${side} webhook log (last lines):\n${tail(log, 30)}`);
    throw error;
  } finally {
    await stopChild(child, 5_000);
  }
}

const benchmark: Benchmark = {
  name: 'peers: validating webhook, Typerator against controller-runtime',
  async run(): Promise<BenchTable> {
    const goPeer = buildGoPeer();
    const dir = mkdtempSync(join(tmpdir(), 'typerator-peers-webhook-'));
    const runs: Run[] = [];
    try {
      // Certificates in a folder of their own: both servers watch it for rotations.
      const certs = {
        dir: join(dir, 'certs'),
        caPem: (await ensureDevCertificates({ dir: join(dir, 'certs') })).caPem,
      };
      for (let trial = 1; trial <= TRIALS; trial++)
        for (const side of sidesInOrderOf(trial)) runs.push(await runOnce(side, trial, goPeer, dir, certs));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const medianOf = (side: Side) => {
      const selected = runs.filter((r) => r.side === side);
      const m = (pick: (r: Run) => number) => median(selected.map(pick));
      return {
        requestsPerSecond: m((r) => r.requestsPerSecond),
        p50Ms: m((r) => r.p50Ms),
        p99Ms: m((r) => r.p99Ms),
        total: m((r) => r.total),
        non2xx: m((r) => r.non2xx),
        errors: m((r) => r.errors),
        cpuMicrosPerRequest: m((r) => r.cpuMicrosPerRequest),
        cores: m((r) => r.cores),
        rssMiB: m((r) => r.rssMiB),
        peakRssMiB: m((r) => r.peakRssMiB),
      };
    };
    const row = (run: Omit<Run, 'side' | 'trial'>, side: Side, trial: string) => [
      labelOf(side),
      trial,
      Math.round(run.requestsPerSecond),
      run.p50Ms.toFixed(3),
      run.p99Ms.toFixed(3),
      Math.round(run.cpuMicrosPerRequest),
      run.cores,
      run.rssMiB.toFixed(1),
      run.peakRssMiB.toFixed(1),
      Math.round(run.total),
      Math.round(run.non2xx + run.errors),
    ];
    const rows: (string | number)[][] = [];
    for (const side of sidesInOrderOf(1)) {
      for (const run of runs.filter((r) => r.side === side)) rows.push(row(run, side, `${run.trial}`));
      if (TRIALS > 1) rows.push(row(medianOf(side), side, 'median'));
    }
    const ours = medianOf('typerator');
    const peer = medianOf('controller-runtime');
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    return {
      title: `Validating webhook on loopback, each server in its own process (${CONNECTIONS} connections, ${SECONDS} s after a ${WARMUP_SECONDS} s warm-up, ${TRIALS} alternating trial(s))`,
      columns: [
        'server',
        'trial',
        'req/s',
        'p50 ms',
        'p99 ms',
        'server CPU µs/request',
        'server cores busy',
        'RSS MiB',
        'peak RSS MiB',
        'requests',
        'non-2xx + errors',
      ],
      rows,
      notes: [
        `Typerator/controller-runtime (median against median): throughput ${ratio(ours.requestsPerSecond, peer.requestsPerSecond)}, p50 ${ratio(ours.p50Ms, peer.p50Ms)}, p99 ${ratio(ours.p99Ms, peer.p99Ms)}, CPU per request ${ratio(ours.cpuMicrosPerRequest, peer.cpuMicrosPerRequest)}, RSS ${ratio(ours.rssMiB, peer.rssMiB)}`,
        'Load: webhook.bench.ts’s autocannon load generator in a child process (same ~1 KiB ConfigMap CREATE review, all allowed); both servers use the same dev certificate (TLS 1.3 on loopback, kept-alive connections). Server CPU: /proc/<pid>/stat around the measured run (10 ms ticks); RSS after it.',
        'The load generator (Node, one core) and the server share the 2 cores; the Go server may use both.',
      ],
    };
  },
};
export default benchmark;
