// An idle operator's memory, Typerator against controller-runtime (Go), part of `npm run bench -- peers`.
//
// Per run: a fresh apiserver-tier control plane with the BenchItem CRD and its namespace and no
// items, then one operator in a process of its own, left to start, sync its caches and settle:
//   - controller-runtime: the Go peer of the reconcile benchmark (test/bench/peers/controller-runtime);
//   - Typerator: its counterpart, test/bench/peers/typerator-peer.ts, compiled;
//   - for reference, Typerator's example operators as the image runs them (operators/main.ts
//     compiled: four controllers, metrics and probe servers, the admission and conversion webhook
//     server), on the same plane with their CRDs installed. It has no Go counterpart.
// Memory is read from /proc once the RSS has stayed within 256 KiB for 2 s (sampled every 0.5 s,
// from 3 s after spawn, at most 30 s): VmRSS, and its anonymous and file-backed parts.
//
// BENCH_PEERS_IDLE_TRIALS (default 3, alternating which side goes first: trial 1 controller-runtime).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '../../sdk/client/client.ts';
import { kinds } from '../../sdk/client/resource-kind.ts';
import { freePort } from '../../sdk/testing/free-port.ts';
import { startControlPlane } from '../../sdk/testing/index.ts';
import { OPERATOR_NODE_FLAGS } from '../../sdk/runner/operator-node-flags.ts';
import { ensureDevCertificates } from '../../sdk/webhook/dev-certificates.ts';
import { installGeneratedCrds } from '../support/install-crds.ts';
import { median } from './audit-log.ts';
import type { BenchTable, Benchmark } from './bench-table.ts';
import { installBenchItemCrd } from './peers/install-bench-item-crd.ts';
import { compiledPeer } from './peers/compiled.ts';
import { buildGoPeer, labelOf, sidesInOrderOf, stopChild, tail, type Side } from './peers/peer-process.ts';
import { memoryKiBOf, totalCpuSecondsOf, type MemoryKiB } from './peers/process-stats.ts';

const TRIALS = Math.max(1, Number(process.env['BENCH_PEERS_IDLE_TRIALS'] ?? 3));
const NAMESPACE = 'bench';
const SETTLE = { firstSampleMs: 3_000, everyMs: 500, stableSamples: 4, withinKiB: 256, maxMs: 30_000 };

type Variant = Side | 'typerator-operators';
const labelOfVariant = (variant: Variant) =>
  variant === 'typerator-operators'
    ? 'Typerator example operators (4 controllers, metrics, probes, webhooks)'
    : labelOf(variant);

interface Run {
  readonly variant: Variant;
  readonly memory: MemoryKiB;
  /** CPU seconds from spawn until settled: start-up, module loading, cache sync. */
  readonly cpuSeconds: number;
  readonly settled: boolean;
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/**
 * Samples the child's memory until it holds still; the last sample, and whether it did. A child
 * that exits meanwhile has no /proc entry to read, so that is said instead.
 */
async function settledMemory(child: ChildProcess): Promise<{ memory: MemoryKiB; settled: boolean }> {
  await sleep(SETTLE.firstSampleMs);
  const samples: MemoryKiB[] = [];
  for (let waited = SETTLE.firstSampleMs; waited <= SETTLE.maxMs; waited += SETTLE.everyMs) {
    if (hasExited(child)) throw new Error('it exited before its memory settled');
    samples.push(memoryKiBOf(child.pid ?? 0));
    const recent = samples.slice(-SETTLE.stableSamples).map((sample) => sample.rssKiB);
    if (
      recent.length === SETTLE.stableSamples &&
      Math.max(...recent) - Math.min(...recent) <= SETTLE.withinKiB
    )
      return { memory: samples.at(-1) as MemoryKiB, settled: true };
    await sleep(SETTLE.everyMs);
  }
  return { memory: samples.at(-1) as MemoryKiB, settled: false };
}

async function runOnce(variant: Variant, goPeer: string, trial: number): Promise<Run> {
  const folder = mkdtempSync(join(tmpdir(), 'typerator-peers-idle-'));
  const plane = await startControlPlane();
  const client = await Client.fromKubeConfig(plane.kubeConfig(), { userAgent: 'peers-bench-harness' });
  let child: ChildProcess | undefined;
  const log = join(folder, 'operator.log');
  try {
    await installBenchItemCrd(client);
    await client.resource(kinds.Namespace).create({ metadata: { name: NAMESPACE } });
    const env = { ...process.env, KUBECONFIG: plane.kubeconfigPath, NODE_ENV: 'production' };
    const output = openSync(log, 'w');
    const stdio: ['ignore', number, number] = ['ignore', output, output];
    if (variant === 'controller-runtime')
      child = spawn(goPeer, ['reconcile', '--concurrency=1'], { env, stdio });
    else if (variant === 'typerator')
      child = spawn(
        process.execPath,
        [
          ...OPERATOR_NODE_FLAGS,
          compiledPeer(new URL('peers/typerator-peer.ts', import.meta.url)),
          '--concurrency=1',
        ],
        {
          env,
          stdio,
        },
      );
    else {
      await installGeneratedCrds(client);
      const certificates = await ensureDevCertificates({ dir: join(folder, 'certificates') });
      const address = async () => `127.0.0.1:${await freePort()}`;
      child = spawn(
        process.execPath,
        [
          ...OPERATOR_NODE_FLAGS,
          compiledPeer(new URL('../../operators/main.ts', import.meta.url)),
          '--no-leader-elect',
          `--metrics-bind-address=${await address()}`,
          `--health-probe-bind-address=${await address()}`,
          `--webhook-port=${await freePort()}`,
          `--webhook-cert-dir=${join(certificates.certFile, '..')}`,
          '--log-format=json',
        ],
        { env, stdio },
      );
    }
    closeSync(output);
    const { memory, settled } = await settledMemory(child).catch((error: unknown) => {
      throw new Error(`${variant}: ${String(error)}\n${tail(log, 20)}`);
    });
    const cpuSeconds = totalCpuSecondsOf(child.pid ?? 0);
    const code = await stopChild(child);
    if (code !== 0) throw new Error(`${variant} exited with code ${code}:\n${tail(log, 20)}`);
    const mib = (kib: number) => (kib / 1024).toFixed(1);
    console.error(
      `  trial ${trial}, ${variant}: RSS ${mib(memory.rssKiB)} MiB (anonymous ${mib(memory.anonKiB)}, file-backed ${mib(memory.fileKiB)}), CPU ${cpuSeconds.toFixed(2)} s${settled ? '' : ', still changing after 30 s'}`,
    );
    return { variant, memory, cpuSeconds, settled };
  } finally {
    if (child) await stopChild(child, 2_000);
    client.close();
    await plane.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

const benchmark: Benchmark = {
  name: 'peers: an idle operator, Typerator against controller-runtime',
  async run(): Promise<BenchTable> {
    const goPeer = buildGoPeer();
    const runs: Run[] = [];
    for (let trial = 1; trial <= TRIALS; trial++)
      for (const variant of [...sidesInOrderOf(trial), 'typerator-operators'] as const)
        runs.push(await runOnce(variant, goPeer, trial));

    const mediansOf = (variant: Variant) => {
      const of = runs.filter((run) => run.variant === variant);
      const mib = (pick: (memory: MemoryKiB) => number) => median(of.map((run) => pick(run.memory) / 1024));
      return {
        rss: mib((memory) => memory.rssKiB),
        anon: mib((memory) => memory.anonKiB),
        file: mib((memory) => memory.fileKiB),
        cpu: median(of.map((run) => run.cpuSeconds)),
        unsettled: of.filter((run) => !run.settled).length,
      };
    };
    const go = mediansOf('controller-runtime');
    const ratio = (ours: number, theirs: number) => `${(ours / theirs).toFixed(2)}×`;
    const rows = (['typerator', 'controller-runtime', 'typerator-operators'] as const).map((variant) => {
      const m = mediansOf(variant);
      const compared = variant === 'typerator';
      return [
        labelOfVariant(variant),
        `${m.rss.toFixed(1)}${compared ? ` (${ratio(m.rss, go.rss)})` : ''}`,
        `${m.anon.toFixed(1)}${compared ? ` (${ratio(m.anon, go.anon)})` : ''}`,
        m.file.toFixed(1),
        `${m.cpu.toFixed(2)}${compared ? ` (${ratio(m.cpu, go.cpu)})` : ''}`,
        m.unsettled === 0 ? 'yes' : `no in ${m.unsettled} of ${TRIALS}`,
      ];
    });
    return {
      title: `An idle operator: started, caches synced, nothing to reconcile (median of ${TRIALS} trials)`,
      columns: [
        'operator',
        'RSS MiB (ratio)',
        'anonymous MiB (ratio)',
        'file-backed MiB',
        'CPU to settle, s (ratio)',
        'settled',
      ],
      rows,
      notes: [
        'Each run: a fresh apiserver-tier control plane with the BenchItem CRD and no items; the operator in a process of its own (Typerator compiled, NODE_ENV=production), read from /proc once its RSS held within 256 KiB for 2 s.',
        'File-backed pages are the parts of the executable and libraries the process touched: shared with other processes of the same binary and reclaimable.',
        'The example operators are the image’s process (operators/main.ts with its webhooks, metrics and probes); they have no Go counterpart here.',
      ],
    };
  },
};

export default benchmark;
