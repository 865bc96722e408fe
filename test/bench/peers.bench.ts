// Reconcile throughput, CPU and memory of a minimal operator on Typerator's Manager against the same
// operator on controller-runtime (Go), each in a process of its own on a fresh control plane. What one
// run does and measures (the items, the operators, the clocks): test/bench/peers/reconcile-run.ts.
//
// Each run reconciles BENCH_PEERS_COUNT (default 2000) items. For each of BENCH_PEERS_TRIALS
// (default 3) trials and each worker count in BENCH_PEERS_CONCURRENCY (default "1,4"), both sides
// run, alternating which goes first (trial 1: controller-runtime first).
// BENCH_PEERS_CPU_PROFILE=<folder> writes a V8 CPU profile of each Typerator run there.
// The Go peer is built on first need by test/bench/peers/build-peer.sh into the cache folder.
import type { BenchTable, Benchmark } from './bench-table.ts';
import { median, total } from './audit-log.ts';
import { buildGoPeer, labelOf, type Side } from './peers/peer-process.ts';
import { runOnce, type Run } from './peers/reconcile-run.ts';

const COUNT = Math.max(1, Number(process.env['BENCH_PEERS_COUNT'] ?? 2000));
const TRIALS = Math.max(1, Number(process.env['BENCH_PEERS_TRIALS'] ?? 3));
const CONCURRENCIES = (process.env['BENCH_PEERS_CONCURRENCY'] ?? '1,4').split(',').map(Number);
const CPU_PROFILE_DIR = process.env['BENCH_PEERS_CPU_PROFILE'];

const sides: readonly Side[] = ['controller-runtime', 'typerator'];

const benchmark: Benchmark = {
  name: 'peers: Typerator against controller-runtime',
  async run(): Promise<BenchTable[]> {
    const goPeer = buildGoPeer();
    const runs: Run[] = [];
    for (let trial = 1; trial <= TRIALS; trial++) {
      const order = trial % 2 === 1 ? sides : [...sides].reverse();
      for (const concurrency of CONCURRENCIES)
        for (const side of order)
          runs.push(
            await runOnce({ side, concurrency, trial, goPeer, count: COUNT, cpuProfileDir: CPU_PROFILE_DIR }),
          );
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
      anonRssMiB: median(selected.map((r) => r.anonRssMiB)),
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
            run.anonRssMiB.toFixed(1),
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
          m.anonRssMiB.toFixed(1),
          m.requests,
        ]);
      }
      const ours = medians(of('typerator', concurrency));
      const peer = medians(of('controller-runtime', concurrency));
      notes.push(
        `${concurrency} worker(s), Typerator/controller-runtime (median against median): time ${ratio(ours.seconds, peer.seconds)}, CPU at ready ${ratio(ours.cpuAtReady, peer.cpuAtReady)}, CPU over life ${ratio(ours.cpuAtExit, peer.cpuAtExit)}, peak RSS ${ratio(ours.peakRssMiB, peer.peakRssMiB)}, anonymous RSS ${ratio(ours.anonRssMiB, peer.anonRssMiB)}, requests ${ratio(ours.requests, peer.requests)}`,
      );
    }
    notes.push(
      'Each run: a fresh apiserver-tier control plane, the items created before the operator starts; time from spawning the operator until the last item reports status.ready; "to first request": until the apiserver received the operator’s first request (start-up: runtime, module loading, kubeconfig).',
      'CPU: user + system of the operator process, "of which system" its kernel part (/proc/<pid>/stat when all are ready; getrusage at exit, 1 s later after SIGTERM); peak RSS: VmHWM when all are ready; anonymous RSS: RssAnon then (the heaps, without the pages of the executable it touched: ~37 MiB for Node before any code runs).',
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
        'anon RSS MiB',
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
