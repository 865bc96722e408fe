// How reconcile throughput, CPU and memory grow with the number of objects, Typerator's Manager
// against controller-runtime (Go): the run of peers.bench.ts (test/bench/peers/reconcile-run.ts) at
// several sizes, tabled and drawn as a chart.
//
// Sizes from BENCH_SCALE_COUNTS (default "1000,10000,50000"), each with BENCH_SCALE_CONCURRENCY
// workers (default 4), BENCH_SCALE_TRIALS times (default 1). Which side goes first alternates from
// one size to the next and from one trial to the next. The chart (items/s and peak RSS against size)
// goes to BENCH_SCALE_SVG (default docs/bench/scale-curve.svg, relative to the repository).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { repositoryRoot } from '../../scripts/compile-typescript.ts';
import { median } from './audit-log.ts';
import type { BenchTable, Benchmark } from './bench-table.ts';
import { buildGoPeer, labelOf, sidesInOrderOf, type Side } from './peers/peer-process.ts';
import { READY_TIMEOUT_MS, runOnce, type Run } from './peers/reconcile-run.ts';
import { compactCount, renderLineChart, type ChartSeries } from './svg-chart.ts';

/** Positive whole numbers, smallest first; a typo fails here rather than an hour into the runs. */
function parseCounts(text: string): number[] {
  const counts = text.split(',').map((part) => Number(part.trim()));
  const bad = counts.find((count) => !Number.isInteger(count) || count < 1);
  if (bad !== undefined)
    throw new Error(`BENCH_SCALE_COUNTS: "${text}" holds ${bad}, not a positive integer`);
  return [...new Set(counts)].sort((a, b) => a - b);
}

const COUNTS = parseCounts(process.env['BENCH_SCALE_COUNTS'] ?? '1000,10000,50000');
const CONCURRENCY = Math.max(1, Number(process.env['BENCH_SCALE_CONCURRENCY'] ?? 4));
const TRIALS = Math.max(1, Number(process.env['BENCH_SCALE_TRIALS'] ?? 1));
const SVG_PATH = resolve(repositoryRoot, process.env['BENCH_SCALE_SVG'] ?? 'docs/bench/scale-curve.svg');
/** Typerator first: the ratios are Typerator/controller-runtime. */
const SIDES: readonly Side[] = ['typerator', 'controller-runtime'];
/** Large runs may take longer than the default allows: at least 50 items/s. */
const readyTimeoutMsOf = (count: number) => Math.max(READY_TIMEOUT_MS, count * 20);

/** The medians of one side at one size. */
interface Point {
  readonly count: number;
  readonly seconds: number;
  readonly itemsPerSecond: number;
  readonly cpuMsPerItem: number;
  readonly peakRssMiB: number;
  readonly anonRssMiB: number;
}

function pointOf(runs: readonly Run[], count: number): Point {
  const seconds = median(runs.map((r) => r.seconds));
  return {
    count,
    seconds,
    itemsPerSecond: count / seconds,
    cpuMsPerItem: (median(runs.map((r) => r.cpuAtReady)) * 1000) / count,
    peakRssMiB: median(runs.map((r) => r.peakRssMiB)),
    anonRssMiB: median(runs.map((r) => r.anonRssMiB)),
  };
}

/**
 * CPU per item between two sizes: the extra CPU over the extra items, which leaves out what a run
 * spends whatever its size (start-up, module loading, the first sync's fixed costs).
 */
function marginalCpuMsPerItem(smaller: Point, larger: Point): number {
  const cpuMs = (point: Point) => point.cpuMsPerItem * point.count;
  return (cpuMs(larger) - cpuMs(smaller)) / (larger.count - smaller.count);
}

const benchmark: Benchmark = {
  name: 'scale curve: Typerator against controller-runtime at growing sizes',
  async run(): Promise<BenchTable[]> {
    const goPeer = buildGoPeer();
    const runs: Run[] = [];
    for (let trial = 1; trial <= TRIALS; trial++)
      for (const [index, count] of COUNTS.entries()) {
        console.error(`  ${count} items (trial ${trial}):`);
        for (const side of sidesInOrderOf(trial + index))
          runs.push(
            await runOnce({
              side,
              concurrency: CONCURRENCY,
              trial,
              goPeer,
              count,
              readyTimeoutMs: readyTimeoutMsOf(count),
            }),
          );
      }

    const points = new Map(
      SIDES.map((side) => [
        side,
        COUNTS.map((count) =>
          pointOf(
            runs.filter((r) => r.side === side && r.count === count),
            count,
          ),
        ),
      ]),
    );
    const pointsOf = (side: Side): Point[] => points.get(side) ?? [];
    const smallest = COUNTS[0] ?? 0;
    const rows: (string | number)[][] = [];
    const notes: string[] = [];
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
    for (const [index, count] of COUNTS.entries()) {
      for (const side of SIDES) {
        const point = pointsOf(side)[index];
        const base = pointsOf(side)[0];
        if (!point || !base) continue;
        const previous = pointsOf(side)[index - 1];
        rows.push([
          labelOf(side),
          count,
          CONCURRENCY,
          point.seconds,
          point.itemsPerSecond.toFixed(0),
          point.cpuMsPerItem.toFixed(3),
          previous ? marginalCpuMsPerItem(previous, point).toFixed(3) : '—',
          point.peakRssMiB.toFixed(1),
          point.anonRssMiB.toFixed(1),
          count > smallest
            ? (((point.peakRssMiB - base.peakRssMiB) * 1024) / (count - smallest)).toFixed(2)
            : '—',
        ]);
      }
      const ours = pointsOf('typerator')[index];
      const peer = pointsOf('controller-runtime')[index];
      const oursBefore = pointsOf('typerator')[index - 1];
      const peerBefore = pointsOf('controller-runtime')[index - 1];
      const marginal =
        oursBefore && peerBefore && ours && peer
          ? `, marginal CPU per item ${ratio(marginalCpuMsPerItem(oursBefore, ours), marginalCpuMsPerItem(peerBefore, peer))}`
          : '';
      if (ours && peer)
        notes.push(
          `${count} items, Typerator/controller-runtime: throughput ${ratio(ours.itemsPerSecond, peer.itemsPerSecond)}, CPU per item ${ratio(ours.cpuMsPerItem, peer.cpuMsPerItem)}${marginal}, peak RSS ${ratio(ours.peakRssMiB, peer.peakRssMiB)}, anonymous RSS ${ratio(ours.anonRssMiB, peer.anonRssMiB)}`,
        );
    }

    const trials = TRIALS === 1 ? '1 trial' : `median of ${TRIALS} trials`;
    const series = (value: (point: Point) => number): ChartSeries[] =>
      SIDES.map((side) => ({
        name: labelOf(side),
        points: pointsOf(side).map((point) => ({ x: point.count, y: value(point) })),
      }));
    mkdirSync(dirname(SVG_PATH), { recursive: true });
    writeFileSync(
      SVG_PATH,
      renderLineChart({
        title: `Typerator against ${labelOf('controller-runtime')}: reconciling BenchItems, ${CONCURRENCY} workers (${trials} per size)`,
        xLabel: 'BenchItems (log scale)',
        panels: [
          { title: 'items/s until all ready', yLabel: 'items/s', series: series((p) => p.itemsPerSecond) },
          { title: 'peak RSS MiB', yLabel: 'MiB', series: series((p) => p.peakRssMiB) },
        ],
      }),
    );
    console.error(`scale curve chart: ${SVG_PATH}`);

    notes.push(
      'Each run as in the peers benchmark: a fresh apiserver-tier control plane, the items created before the operator starts; "s until all ready" from spawning the operator (start-up included) until the last item reports status.ready; items/s = items / that.',
      'CPU per item: the operator’s user + system CPU (/proc/<pid>/stat) when all are ready, over the items; peak RSS: VmHWM when all are ready.',
      'Marginal CPU per item: (CPU at this size − CPU at the size before) / (the items between), which leaves out start-up and other costs every run pays once.',
      `RSS per item above smallest: (peak RSS − the same operator’s peak RSS at ${compactCount(smallest)} items) / (items − ${smallest}), in KiB.`,
      `Chart: ${relative(repositoryRoot, SVG_PATH)}`,
    );
    return [
      {
        title: `Reconcile scale curve: ${COUNTS.join(', ')} BenchItems (cache read, SSA ConfigMap, merge-patch status), ${CONCURRENCY} workers, ${trials} per size and side, each on a fresh control plane`,
        columns: [
          'operator',
          'items',
          'workers',
          's until all ready',
          'items/s',
          'CPU ms per item',
          'marginal CPU ms per item',
          'peak RSS MiB',
          'anon RSS MiB at ready',
          'RSS KiB per item above smallest',
        ],
        rows,
        notes,
      },
    ];
  },
};
export default benchmark;
