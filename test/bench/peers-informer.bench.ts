// Informer initial sync, Typerator against controller-runtime (Go), part of `npm run bench -- peers`.
//
// Per run: a fresh apiserver-tier control plane, N ConfigMaps (512-byte payload, as
// informer.bench.ts) created in namespace `bench`, then one side starts in a process of its own and
// syncs an informer of that namespace's ConfigMaps, dropping managedFields:
//   - Typerator: test/bench/peers/typerator-informer.ts (Informer + listerWatcher, paginated LIST
//     then WATCH);
//   - controller-runtime: the Go peer's informer mode (cache.New with TransformStripManagedFields,
//     GetInformer(ConfigMap), WaitForCacheSync), test/bench/peers/controller-runtime/informer.go.
// Both start their clock just before creating their client/cache (kubeconfig already loaded) and
// stop it once synced; each reports its CPU time (getrusage) at both ends, its live heap before
// and after (after full GCs) and its VmRSS and VmHWM when synced, as one JSON line the harness reads.
//
// controller-runtime lists built-in kinds as protobuf by default; Typerator speaks JSON. So a third,
// reference run per trial has the Go peer ask for JSON (--content-type=application/json), which
// tells the wire format apart from the rest (BENCH_PEERS_INFORMER_GO_JSON=0 leaves it out). After
// each Typerator run the same paged LIST is timed in both formats with nothing decoded, which gives
// the apiserver's share of each sync.
//
// BENCH_PEERS_INFORMER_COUNTS (default "10000,50000") and BENCH_PEERS_INFORMER_TRIALS (default 3,
// alternating which side goes first: trial 1 controller-runtime); BENCH_PEERS_INFORMER_INITIAL_LIST=stream
// has Typerator's informer start with a streaming list instead of a LIST; BENCH_PEERS_CPU_PROFILE=<folder>
// writes a V8 CPU profile of each Typerator run there.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '../../sdk/client/client.ts';
import { kinds } from '../../sdk/client/resource-kind.ts';
import { startControlPlane, type ControlPlane } from '../../sdk/testing/index.ts';
import { median } from './audit-log.ts';
import type { BenchTable, Benchmark } from './bench-table.ts';
import {
  buildGoPeer,
  firstLineOf,
  inParallel,
  labelOf,
  sidesInOrderOf,
  stopChild,
  tail,
  type Side,
} from './peers/peer-process.ts';
import { totalCpuSecondsOf } from './peers/process-stats.ts';
import { compiledPeer } from './peers/compiled.ts';
import { OPERATOR_NODE_FLAGS } from '../../sdk/runner/operator-node-flags.ts';
import { JSON_MEDIA_TYPE, listWireTime, PROTOBUF_MEDIA_TYPE, type WireTime } from './peers/list-wire-time.ts';

const COUNTS = (process.env['BENCH_PEERS_INFORMER_COUNTS'] ?? '10000,50000').split(',').map(Number);
const TRIALS = Math.max(1, Number(process.env['BENCH_PEERS_INFORMER_TRIALS'] ?? 3));
const GO_JSON = process.env['BENCH_PEERS_INFORMER_GO_JSON'] !== '0';
/** Typerator's initial list: `list` (LIST, then WATCH) or `stream` (a streaming list, sendInitialEvents). */
const TYPERATOR_INITIAL_LIST = process.env['BENCH_PEERS_INFORMER_INITIAL_LIST'] ?? 'list';
const NAMESPACE = 'bench';
const SYNC_TIMEOUT_MS = 10 * 60_000;
const payload = 'x'.repeat(512);
const CPU_PROFILE_DIR = process.env['BENCH_PEERS_CPU_PROFILE'];
const profileFlags = CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROFILE_DIR}`] : [];
const typeratorInformer = compiledPeer(new URL('peers/typerator-informer.ts', import.meta.url));

/** The two sides, and the Go peer on JSON for reference. */
type Variant = Side | 'controller-runtime-json';
const labelOfVariant = (variant: Variant) =>
  variant === 'controller-runtime-json'
    ? `${labelOf('controller-runtime')}, JSON`
    : variant === 'typerator' && TYPERATOR_INITIAL_LIST === 'stream'
      ? `${labelOf(variant)}, streaming list`
      : labelOf(variant);
/** The sides in alternating order, the JSON reference between them. */
function variantsOf(trial: number): readonly Variant[] {
  const [first, second] = sidesInOrderOf(trial) as [Side, Side];
  return GO_JSON ? [first, 'controller-runtime-json', second] : [first, second];
}

/** The line either side prints once synced. */
interface Report {
  readonly count: number;
  readonly syncMs: number;
  readonly syncedAtEpochMs: number;
  /** Process CPU time (user + system) when the clock started and when synced. */
  readonly cpuBeforeMs: number;
  readonly cpuAtSyncMs: number;
  readonly heapBeforeBytes: number;
  readonly heapAfterBytes: number;
  readonly rssBeforeKiB: number;
  readonly rssAtSyncKiB: number;
  readonly hwmAtSyncKiB: number;
}

interface Run {
  readonly side: Variant;
  readonly count: number;
  readonly trial: number;
  readonly syncMs: number;
  /** From spawning the process until synced: adds runtime start-up and module loading. */
  readonly fromSpawnMs: number;
  /** Process CPU from spawn until synced, and the part of it from the start of the clock. */
  readonly cpuSeconds: number;
  readonly syncCpuSeconds: number;
  readonly heapBytesPerObject: number;
  /** VmRSS growth from before the informer started until synced, per object. */
  readonly rssBytesPerObject: number;
  readonly rssMiB: number;
  readonly peakRssMiB: number;
  /** The same LIST with bodies read and not decoded, on this run's plane (Typerator's runs only). */
  readonly wire?: { readonly json: WireTime; readonly protobuf: WireTime };
}

/**
 * The paged LIST the informers make, timed in both formats with the bodies thrown away, after the
 * informer process has stopped: JSON, protobuf, protobuf, JSON (each format once first and once
 * last), the mean of each pair.
 */
async function wireTimes(plane: ControlPlane): Promise<NonNullable<Run['wire']>> {
  const path = `/api/v1/namespaces/${NAMESPACE}/configmaps`;
  const first = await listWireTime(plane.kubeconfigPath, path, JSON_MEDIA_TYPE);
  const options = { tokens: first.tokens };
  const second = await listWireTime(plane.kubeconfigPath, path, PROTOBUF_MEDIA_TYPE, options);
  const third = await listWireTime(plane.kubeconfigPath, path, PROTOBUF_MEDIA_TYPE, options);
  const fourth = await listWireTime(plane.kubeconfigPath, path, JSON_MEDIA_TYPE);
  const mean = (a: WireTime, b: WireTime): WireTime => ({ ...a, ms: (a.ms + b.ms) / 2 });
  return { json: mean(first, fourth), protobuf: mean(second, third) };
}

async function fill(client: Client, count: number): Promise<void> {
  await client.resource(kinds.Namespace).create({ metadata: { name: NAMESPACE } });
  const maps = client.resource(kinds.ConfigMap);
  const indexes = Array.from({ length: count }, (_, i) => i);
  await inParallel(indexes, 32, (i) =>
    maps.create({
      metadata: { name: `cm-${i}`, namespace: NAMESPACE, labels: { bench: 'informer', index: String(i) } },
      data: { payload },
    }),
  );
}

/**
 * Waits until the apiserver and etcd have settled after the fill (together under 5 % of a core over
 * a second, at most 60 s): they stay busy for a moment after 50k creates, and an informer started
 * then once took 5.3 s (3.9 s CPU) to sync instead of about 1 s.
 */
async function settle(plane: ControlPlane): Promise<number> {
  const pids = (['kube-apiserver', 'etcd'] as const).map((name) => plane.component(name)?.pid ?? 0);
  const cpu = () => pids.reduce((sum, pid) => sum + totalCpuSecondsOf(pid), 0);
  const started = performance.now();
  for (let before = cpu(); performance.now() - started < 60_000;) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const now = cpu();
    if (now - before < 0.05) break;
    before = now;
  }
  return (performance.now() - started) / 1000;
}

async function runOnce(side: Variant, count: number, trial: number, goPeer: string): Promise<Run> {
  const folder = mkdtempSync(join(tmpdir(), 'typerator-peers-informer-'));
  const log = join(folder, 'informer.log');
  const plane = await startControlPlane();
  const client = await Client.fromKubeConfig(plane.kubeConfig(), { userAgent: 'peers-bench-harness' });
  let child: ReturnType<typeof spawn> | undefined;
  try {
    await fill(client, count);
    const settledAfter = await settle(plane);
    const errors = openSync(log, 'w');
    const env = { ...process.env, KUBECONFIG: plane.kubeconfigPath };
    const spawnedAt = Date.now();
    child =
      side === 'typerator'
        ? spawn(
            process.execPath,
            [
              ...OPERATOR_NODE_FLAGS,
              ...profileFlags,
              '--expose-gc',
              typeratorInformer,
              `--namespace=${NAMESPACE}`,
              `--initial-list=${TYPERATOR_INITIAL_LIST}`,
            ],
            {
              env,
              stdio: ['ignore', 'pipe', errors],
            },
          )
        : spawn(
            goPeer,
            [
              'informer',
              `--namespace=${NAMESPACE}`,
              ...(side === 'controller-runtime-json' ? ['--content-type=application/json'] : []),
            ],
            { env, stdio: ['ignore', 'pipe', errors] },
          );
    closeSync(errors);
    let report: Report;
    try {
      report = await firstLineOf(child, SYNC_TIMEOUT_MS, (line) => JSON.parse(line) as Report);
    } catch (error) {
      console.error(`${side} informer log (last lines):\n${tail(log, 30)}`);
      throw error;
    }
    if (report.count !== count) throw new Error(`${side} synced ${report.count} of ${count} ConfigMaps`);
    const code = await stopChild(child);
    if (code !== 0) console.error(`${side} informer exited with code ${code}:\n${tail(log, 30)}`);
    const wire = side === 'typerator' ? await wireTimes(plane) : undefined;
    const run: Run = {
      side,
      count,
      trial,
      syncMs: report.syncMs,
      fromSpawnMs: report.syncedAtEpochMs - spawnedAt,
      cpuSeconds: report.cpuAtSyncMs / 1000,
      syncCpuSeconds: (report.cpuAtSyncMs - report.cpuBeforeMs) / 1000,
      heapBytesPerObject: (report.heapAfterBytes - report.heapBeforeBytes) / count,
      rssBytesPerObject: ((report.rssAtSyncKiB - report.rssBeforeKiB) * 1024) / count,
      rssMiB: report.rssAtSyncKiB / 1024,
      peakRssMiB: report.hwmAtSyncKiB / 1024,
      ...(wire ? { wire } : {}),
    };
    console.error(
      `  ${count} ConfigMaps, trial ${trial}, ${side}: synced in ${run.syncMs.toFixed(0)} ms (${run.fromSpawnMs.toFixed(0)} ms from spawn), CPU ${run.cpuSeconds.toFixed(2)} s (${run.syncCpuSeconds.toFixed(2)} s while syncing), heap ${run.heapBytesPerObject.toFixed(0)} B/object, RSS ${run.rssMiB.toFixed(0)} MiB (peak ${run.peakRssMiB.toFixed(0)}); control plane settled ${settledAfter.toFixed(0)} s after the fill${wire ? `; the LIST alone: JSON ${wire.json.ms.toFixed(0)} ms (${(wire.json.bytes / 2 ** 20).toFixed(1)} MiB, ${wire.json.pages} pages), protobuf ${wire.protobuf.ms.toFixed(0)} ms (${(wire.protobuf.bytes / 2 ** 20).toFixed(1)} MiB)` : ''}`,
    );
    return run;
  } finally {
    if (child) await stopChild(child, 1_000);
    client.close();
    await plane.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

const benchmark: Benchmark = {
  name: 'peers: informer sync, Typerator against controller-runtime',
  async run(): Promise<BenchTable> {
    const goPeer = buildGoPeer();
    const runs: Run[] = [];
    for (const count of COUNTS)
      for (let trial = 1; trial <= TRIALS; trial++)
        for (const side of variantsOf(trial)) runs.push(await runOnce(side, count, trial, goPeer));

    const rows: (string | number)[][] = [];
    const notes: string[] = [];
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    const row = (run: Omit<Run, 'trial' | 'side'>, side: Variant, trial: string) => [
      run.count,
      labelOfVariant(side),
      trial,
      Math.round(run.syncMs),
      Math.round(run.fromSpawnMs),
      run.cpuSeconds,
      run.syncCpuSeconds,
      Math.round(run.heapBytesPerObject),
      Math.round(run.rssBytesPerObject),
      run.rssMiB.toFixed(1),
      run.peakRssMiB.toFixed(1),
    ];
    for (const count of COUNTS) {
      const medianOf = (side: Variant) => {
        const selected = runs.filter((r) => r.side === side && r.count === count);
        const m = (pick: (r: Run) => number) => median(selected.map(pick));
        return {
          count,
          syncMs: m((r) => r.syncMs),
          fromSpawnMs: m((r) => r.fromSpawnMs),
          cpuSeconds: m((r) => r.cpuSeconds),
          syncCpuSeconds: m((r) => r.syncCpuSeconds),
          heapBytesPerObject: m((r) => r.heapBytesPerObject),
          rssBytesPerObject: m((r) => r.rssBytesPerObject),
          rssMiB: m((r) => r.rssMiB),
          peakRssMiB: m((r) => r.peakRssMiB),
        };
      };
      for (const side of variantsOf(1)) {
        for (const run of runs.filter((r) => r.side === side && r.count === count))
          rows.push(row(run, side, `${run.trial}`));
        if (TRIALS > 1) rows.push(row(medianOf(side), side, 'median'));
      }
      const ours = medianOf('typerator');
      const peer = medianOf('controller-runtime');
      notes.push(
        `${count} ConfigMaps, Typerator/controller-runtime (median against median): sync ${ratio(ours.syncMs, peer.syncMs)}, from spawn ${ratio(ours.fromSpawnMs, peer.fromSpawnMs)}, CPU while syncing ${ratio(ours.syncCpuSeconds, peer.syncCpuSeconds)}, CPU from spawn ${ratio(ours.cpuSeconds, peer.cpuSeconds)}, heap/object ${ratio(ours.heapBytesPerObject, peer.heapBytesPerObject)}, RSS growth/object ${ratio(ours.rssBytesPerObject, peer.rssBytesPerObject)}, RSS at sync ${ratio(ours.rssMiB, peer.rssMiB)}, peak RSS ${ratio(ours.peakRssMiB, peer.peakRssMiB)}`,
      );
      const wires = runs.filter((r) => r.count === count).flatMap((r) => (r.wire ? [r.wire] : []));
      if (wires.length) {
        const jsonMs = median(wires.map((w) => w.json.ms));
        const protobufMs = median(wires.map((w) => w.protobuf.ms));
        notes.push(
          `${count} ConfigMaps, the LIST alone (${wires[0]?.json.pages ?? 0} pages, bodies read and not decoded, median of ${wires.length}): JSON ${jsonMs.toFixed(0)} ms, ${((wires[0]?.json.bytes ?? 0) / 2 ** 20).toFixed(1)} MiB; protobuf ${protobufMs.toFixed(0)} ms, ${((wires[0]?.protobuf.bytes ?? 0) / 2 ** 20).toFixed(1)} MiB — the apiserver's share of each sync, so Typerator's sync minus the JSON LIST is ${(ours.syncMs - jsonMs).toFixed(0)} ms of its own, controller-runtime's minus the protobuf LIST ${(peer.syncMs - protobufMs).toFixed(0)} ms`,
        );
      }
      if (GO_JSON) {
        const json = medianOf('controller-runtime-json');
        notes.push(
          `${count} ConfigMaps, Typerator/controller-runtime on JSON: sync ${ratio(ours.syncMs, json.syncMs)}, CPU while syncing ${ratio(ours.syncCpuSeconds, json.syncCpuSeconds)}, heap/object ${ratio(ours.heapBytesPerObject, json.heapBytesPerObject)}`,
        );
      }
    }
    notes.push(
      'Each run: a fresh apiserver-tier control plane, the ConfigMaps (512-byte payload) created before the informer process starts, which starts once the apiserver and etcd are idle again; both drop managedFields and list from the watch cache (resourceVersion=0; client-go’s WatchListClient is off by default in v0.34).',
      'controller-runtime lists ConfigMaps as protobuf (its default for built-in kinds); "JSON" is the same peer with --content-type=application/json, for reference.',
      'The LIST alone: after each Typerator run, on its control plane, the same paged LIST (resourceVersion=0, 500 per page) in JSON and in protobuf, bodies read into buffers and dropped (test/bench/peers/list-wire-time.ts).',
      'sync ms: in the process, from just before creating the client/cache until synced; from spawn: adds runtime start-up; CPU: user + system of the process (getrusage) from spawn until synced, and while syncing (same clock as sync ms); heap: live heap growth after full GCs (V8 heapUsed, Go HeapAlloc) per object; RSS growth: VmRSS at sync minus VmRSS before, per object; peak: VmHWM.',
    );
    return {
      title: `Informer initial sync of ConfigMaps, ${TRIALS} alternating trial(s) per side and size, each run on a fresh control plane`,
      columns: [
        'objects',
        'informer',
        'trial',
        'sync ms',
        'ms from spawn',
        'CPU s from spawn',
        'CPU s syncing',
        'heap B/object',
        'RSS growth B/object',
        'RSS MiB at sync',
        'peak RSS MiB',
      ],
      rows,
      notes,
    };
  },
};
export default benchmark;
