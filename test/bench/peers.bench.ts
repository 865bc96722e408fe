// Reconcile throughput, CPU and memory of a minimal operator on Typerator's Manager against the same
// operator on controller-runtime (Go), each in a process of its own on a fresh control plane.
//
// Both reconcile BenchItems (bench.typerator.dev/v1) identically: read the item from the cache,
// server-side-apply a ConfigMap with a controller reference to it, merge-patch its status to
// {ready: true, observedGeneration} (test/bench/peers/typerator-peer.ts and
// test/bench/peers/controller-runtime/main.go). Per run: a fresh apiserver-tier control plane, the
// CRD, BENCH_PEERS_COUNT (default 2000) items created while no operator runs, then the operator
// starts and the harness watches the items until every one reports status.ready. Measured:
//   - seconds from spawning the operator until the last item is ready (as the harness's watch sees it);
//   - the operator's CPU time (user + system) from /proc/<pid>/stat at that moment, and over its
//     whole life as the process reports it on exit (getrusage), after a SIGTERM 1 s later;
//   - its peak RSS (VmHWM from /proc/<pid>/status) at that moment;
//   - its API requests, from the apiserver's audit log by user agent.
// The harness's watch runs in the harness process, so its CPU is not the operator's (it shares the
// machine, as the apiserver and etcd do, equally for both sides).
//
// For each of BENCH_PEERS_TRIALS (default 3) trials and each worker count in BENCH_PEERS_CONCURRENCY
// (default "1,4"), both sides run, alternating which goes first (trial 1: controller-runtime first).
// BENCH_PEERS_CPU_PROFILE=<folder> writes a V8 CPU profile of each Typerator run there.
// The Go peer is built on first need by test/bench/peers/build-peer.sh into the cache folder.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '../../sdk/client/client.ts';
import { kinds } from '../../sdk/client/resource-kind.ts';
import { startControlPlane, waitUntil } from '../../sdk/testing/index.ts';
import type { BenchTable, Benchmark } from './bench-table.ts';
import { auditLogFlags } from '../support/audit-log-flags.ts';
import { auditEvents, countBy, median, requestTarget, total } from './audit-log.ts';
import { benchItemCrd, benchItemKind } from './peers/bench-item.ts';
import { buildGoPeer, inParallel, labelOf, tail, type Side } from './peers/peer-process.ts';
import { cpuSecondsOf, peakRssMiBOf } from './peers/process-stats.ts';
import { compiledPeer } from './peers/compiled.ts';

const COUNT = Math.max(1, Number(process.env['BENCH_PEERS_COUNT'] ?? 2000));
const TRIALS = Math.max(1, Number(process.env['BENCH_PEERS_TRIALS'] ?? 3));
const CONCURRENCIES = (process.env['BENCH_PEERS_CONCURRENCY'] ?? '1,4').split(',').map(Number);
const CPU_PROFILE_DIR = process.env['BENCH_PEERS_CPU_PROFILE'];
const NAMESPACE = 'bench';
/** How long one run may take from spawning the operator until every item is ready. */
const READY_TIMEOUT_MS = 15 * 60_000;

const typeratorPeer = compiledPeer(new URL('peers/typerator-peer.ts', import.meta.url));

const sides: readonly Side[] = ['controller-runtime', 'typerator'];
/** The user agent each side's client sends, which the audit log records. */
const userAgentOf = (side: Side) => (side === 'typerator' ? 'typerator-peer' : 'controller-runtime-peer');

interface Usage {
  readonly userMs: number;
  readonly systemMs: number;
  readonly maxRssKiB: number;
}

interface Run {
  readonly side: Side;
  readonly concurrency: number;
  readonly trial: number;
  readonly seconds: number;
  /** From spawning the operator until the apiserver received its first request. */
  readonly startUpSeconds: number;
  readonly cpuAtReady: number;
  /** The system (kernel) part of cpuAtReady. */
  readonly systemCpuAtReady: number;
  readonly cpuAtExit: number;
  readonly peakRssMiB: number;
  readonly requests: Map<string, number>;
}

/** The side's requests, by `verb resource[/subresource]` (or `verb <path>` for discovery). */
function countRequests(auditLog: string, side: Side): Map<string, number> {
  const requests = auditEvents(auditLog).filter(
    (event) => event.stage === 'ResponseComplete' && (event.userAgent ?? '').startsWith(userAgentOf(side)),
  );
  return countBy(requests, (event) => {
    const code = event.responseStatus?.code ?? 0;
    return `${event.verb ?? '?'} ${requestTarget(event)}${code >= 300 ? ` (${code})` : ''}`;
  });
}

/** When the apiserver received the side's first request (ms since the epoch), from the audit log. */
function firstRequestAt(auditLog: string, side: Side): number {
  let first = Infinity;
  for (const event of auditEvents(auditLog))
    if ((event.userAgent ?? '').startsWith(userAgentOf(side)))
      first = Math.min(first, Date.parse(event.requestReceivedTimestamp ?? ''));
  return first;
}

/** What the harness reads when the last item turns ready. */
interface Measured {
  readonly seconds: number;
  readonly cpu: { user: number; system: number };
  readonly rss: number;
}

async function runOnce(side: Side, concurrency: number, trial: number, goPeer: string): Promise<Run> {
  const folder = mkdtempSync(join(tmpdir(), 'typerator-peers-bench-'));
  const { auditLog, apiServerArgs } = auditLogFlags(folder, ['- level: Metadata']);
  const operatorLog = join(folder, 'operator.log');
  const usageFile = join(folder, 'usage.json');
  const plane = await startControlPlane({
    apiServerArgs,
  });
  // A user agent of its own, so the harness's requests never count as the operator's.
  const client = await Client.fromKubeConfig(plane.kubeConfig(), { userAgent: 'peers-bench-harness' });
  let subscription: { unsubscribe(): void } | undefined;
  let child: ReturnType<typeof spawn> | undefined;
  try {
    const crds = client.resource(kinds.CustomResourceDefinition);
    await crds.create(benchItemCrd);
    await waitUntil(
      async () =>
        (await crds.get({ name: benchItemCrd.metadata?.name ?? '' })).status?.conditions?.some(
          (c) => c.type === 'Established' && c.status === 'True',
        ),
      { what: 'the BenchItem CRD to be established', timeoutMs: 30_000 },
    );
    client.mapper.invalidate();
    await client.resource(kinds.Namespace).create({ metadata: { name: NAMESPACE } });
    const items = client.resource(benchItemKind);
    await waitUntil(() => items.list({ namespace: NAMESPACE, limit: 1 }).then(() => true), {
      what: 'BenchItems to be served',
      timeoutMs: 30_000,
    });
    const names = Array.from({ length: COUNT }, (_, i) => `item-${String(i).padStart(5, '0')}`);
    await inParallel(names, 16, (name) =>
      items.create({
        apiVersion: 'bench.typerator.dev/v1',
        kind: 'BenchItem',
        metadata: { name, namespace: NAMESPACE },
        spec: { value: `value of ${name}` },
      }),
    );
    const { resourceVersion } = await items.list({ namespace: NAMESPACE, limit: 1 });

    const output = openSync(operatorLog, 'w');
    const started = performance.now();
    const spawnedAt = Date.now();
    child =
      side === 'typerator'
        ? spawn(
            process.execPath,
            [
              ...(CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROFILE_DIR}`] : []),
              typeratorPeer,
              `--concurrency=${concurrency}`,
              `--usage-file=${usageFile}`,
            ],
            { env: { ...process.env, KUBECONFIG: plane.kubeconfigPath }, stdio: ['ignore', output, output] },
          )
        : spawn(goPeer, ['reconcile', `--concurrency=${concurrency}`, `--usage-file=${usageFile}`], {
            env: { ...process.env, KUBECONFIG: plane.kubeconfigPath },
            stdio: ['ignore', output, output],
          });
    closeSync(output);
    const operator = child;
    const pid = operator.pid ?? 0;
    const exited = new Promise<number | null>((resolve) => operator.once('exit', (code) => resolve(code)));

    // Every item ready: read the operator's CPU time and peak RSS right there, in the watch callback.
    const ready = new Set<string>();
    const allReady = new Promise<Measured>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${ready.size} of ${COUNT} items ready after ${READY_TIMEOUT_MS} ms`)),
        READY_TIMEOUT_MS,
      );
      void exited.then((code) => {
        reject(new Error(`the ${side} operator exited (code ${code}) with ${ready.size} of ${COUNT} ready`));
      });
      subscription = items.watch({ namespace: NAMESPACE, resourceVersion }).subscribe({
        next: ({ type, object }) => {
          const name = object.metadata?.name;
          if (type === 'BOOKMARK' || !name || !object.status?.ready || ready.has(name)) return;
          ready.add(name);
          if (ready.size < COUNT) return;
          const seconds = (performance.now() - started) / 1000;
          const measured = { seconds, cpu: cpuSecondsOf(pid), rss: peakRssMiBOf(pid) };
          clearTimeout(timer);
          resolve(measured);
        },
        error: (error: unknown) => {
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      });
    });
    let atReady: Measured;
    try {
      atReady = await allReady;
    } catch (error) {
      console.error(`${side} operator log (last lines):\n${tail(operatorLog, 30)}`);
      throw error;
    }
    subscription?.unsubscribe();
    // Let trailing work settle, then stop the operator and read what it reports about its life.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    operator.kill('SIGTERM');
    const code = await exited;
    if (code !== 0 || !existsSync(usageFile)) {
      console.error(`${side} operator log (last lines):\n${tail(operatorLog, 30)}`);
      throw new Error(
        `the ${side} operator exited with code ${code} and ${existsSync(usageFile) ? 'a' : 'no'} usage report`,
      );
    }
    const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as Usage;
    // The apiserver logs a watch when it ends, which it notices just after the operator exits.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const requests = countRequests(auditLog, side);
    const startUpSeconds = (firstRequestAt(auditLog, side) - spawnedAt) / 1000;
    const run: Run = {
      side,
      concurrency,
      trial,
      seconds: atReady.seconds,
      startUpSeconds,
      cpuAtReady: atReady.cpu.user + atReady.cpu.system,
      systemCpuAtReady: atReady.cpu.system,
      cpuAtExit: (usage.userMs + usage.systemMs) / 1000,
      peakRssMiB: atReady.rss,
      requests,
    };
    console.error(
      `  trial ${trial}, ${side}, ${concurrency} worker(s): ${run.seconds.toFixed(2)} s (first request after ${run.startUpSeconds.toFixed(2)} s), CPU ${run.cpuAtReady.toFixed(2)} s (system ${run.systemCpuAtReady.toFixed(2)} s; ${run.cpuAtExit.toFixed(2)} s at exit), peak RSS ${run.peakRssMiB.toFixed(0)} MiB, ${total(requests)} requests`,
    );
    return run;
  } finally {
    subscription?.unsubscribe();
    if (child && child.exitCode === null && child.signalCode === null) {
      const operator = child;
      const gone = new Promise((resolve) => operator.once('exit', resolve));
      operator.kill('SIGKILL');
      await gone;
    }
    client.close();
    await plane.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

const benchmark: Benchmark = {
  name: 'peers: Typerator against controller-runtime',
  async run(): Promise<BenchTable[]> {
    const goPeer = buildGoPeer();
    const runs: Run[] = [];
    for (let trial = 1; trial <= TRIALS; trial++) {
      const order = trial % 2 === 1 ? sides : [...sides].reverse();
      for (const concurrency of CONCURRENCIES)
        for (const side of order) runs.push(await runOnce(side, concurrency, trial, goPeer));
    }

    const of = (side: Side, concurrency: number) =>
      runs.filter((r) => r.side === side && r.concurrency === concurrency);
    const medians = (selected: readonly Run[]) => ({
      seconds: median(selected.map((r) => r.seconds)),
      startUpSeconds: median(selected.map((r) => r.startUpSeconds)),
      cpuAtReady: median(selected.map((r) => r.cpuAtReady)),
      systemCpuAtReady: median(selected.map((r) => r.systemCpuAtReady)),
      cpuAtExit: median(selected.map((r) => r.cpuAtExit)),
      peakRssMiB: median(selected.map((r) => r.peakRssMiB)),
      requests: median(selected.map((r) => total(r.requests))),
    });
    const rows: (string | number)[][] = [];
    const notes: string[] = [];
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    for (const concurrency of CONCURRENCIES) {
      for (const side of sides) {
        for (const run of of(side, concurrency))
          rows.push([
            labelOf(side),
            concurrency,
            `${run.trial}`,
            run.seconds,
            run.startUpSeconds,
            run.cpuAtReady,
            run.systemCpuAtReady,
            run.cpuAtExit,
            run.peakRssMiB.toFixed(1),
            total(run.requests),
          ]);
        const m = medians(of(side, concurrency));
        rows.push([
          labelOf(side),
          concurrency,
          'median',
          m.seconds,
          m.startUpSeconds,
          m.cpuAtReady,
          m.systemCpuAtReady,
          m.cpuAtExit,
          m.peakRssMiB.toFixed(1),
          m.requests,
        ]);
      }
      const ours = medians(of('typerator', concurrency));
      const peer = medians(of('controller-runtime', concurrency));
      notes.push(
        `${concurrency} worker(s), Typerator/controller-runtime (median against median): time ${ratio(ours.seconds, peer.seconds)}, CPU at ready ${ratio(ours.cpuAtReady, peer.cpuAtReady)}, CPU over life ${ratio(ours.cpuAtExit, peer.cpuAtExit)}, peak RSS ${ratio(ours.peakRssMiB, peer.peakRssMiB)}, requests ${ratio(ours.requests, peer.requests)}`,
      );
    }
    notes.push(
      'Each run: a fresh apiserver-tier control plane, the items created before the operator starts; time from spawning the operator until the last item reports status.ready; "to first request": until the apiserver received the operator’s first request (start-up: runtime, module loading, kubeconfig).',
      'CPU: user + system of the operator process, "of which system" its kernel part (/proc/<pid>/stat when all are ready; getrusage at exit, 1 s later after SIGTERM); peak RSS: VmHWM when all are ready.',
      'Requests: all of the operator’s requests (discovery, list, watch, apply, status patch) from the apiserver’s audit log by user agent.',
    );
    const summary: BenchTable = {
      title: `Reconciling ${COUNT} BenchItems (cache read, SSA ConfigMap, merge-patch status), ${TRIALS} alternating trial(s) per side, each on a fresh control plane`,
      columns: [
        'operator',
        'workers',
        'trial',
        's until all ready',
        's to first request',
        'CPU s at ready',
        'of which system',
        'CPU s over life',
        'peak RSS MiB',
        'API requests',
      ],
      rows,
      notes,
    };
    const keys = [...new Set(runs.flatMap((run) => [...run.requests.keys()]))].sort();
    const columns = CONCURRENCIES.flatMap((c) => sides.map((side) => ({ side, concurrency: c })));
    const breakdown: BenchTable = {
      title: 'API requests by verb and resource, median per run',
      columns: [
        'request',
        ...columns.map(({ side, concurrency }) => `${labelOf(side)}, ${concurrency} worker(s)`),
      ],
      rows: keys.map((key) => [
        key,
        ...columns.map(({ side, concurrency }) =>
          median(of(side, concurrency).map((run) => run.requests.get(key) ?? 0)),
        ),
      ]),
    };
    return [summary, breakdown];
  },
};
export default benchmark;
