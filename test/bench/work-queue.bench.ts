import { performance } from 'node:perf_hooks';
import { WorkQueue } from '../../sdk/queue/work-queue.ts';
import type { BenchTable, Benchmark } from './bench-table.ts';

const KEYS = 100_000;
const ROUNDS = 5;

/** The simplest fast deduplicating FIFO, as the peer: what our bookkeeping costs on top of it. */
class NaiveQueue {
  private readonly queued = new Set<string>();
  private readonly items: string[] = [];
  private head = 0;
  add(key: string): void {
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.items.push(key);
  }
  get(): string | undefined {
    const key = this.items[this.head++];
    if (key !== undefined) this.queued.delete(key);
    return key;
  }
}

async function timeTyperator(keys: readonly string[]): Promise<number> {
  const queue = new WorkQueue<string>({ name: 'bench', metrics: false });
  const started = performance.now();
  for (const key of keys) queue.add(key);
  for (const key of keys) queue.add(key); // duplicates are folded
  for (let i = 0; i < keys.length; i++) {
    const key = await queue.get();
    if (key !== undefined) queue.done(key);
  }
  return performance.now() - started;
}

function timeNaive(keys: readonly string[]): number {
  const queue = new NaiveQueue();
  const started = performance.now();
  for (const key of keys) queue.add(key);
  for (const key of keys) queue.add(key);
  for (let i = 0; i < keys.length; i++) queue.get();
  return performance.now() - started;
}

/** Work queue throughput: add (twice, deduplicated), get and done per key. */
const benchmark: Benchmark = {
  name: 'work queue',
  async run(): Promise<BenchTable> {
    const keys = Array.from({ length: KEYS }, (_, i) => `namespace-${i % 50}/object-${i}`);
    const ours: number[] = [];
    const naive: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      ours.push(await timeTyperator(keys));
      naive.push(timeNaive(keys));
    }
    const best = (times: number[]) => Math.min(...times);
    const opsPerSecond = (ms: number) => Math.round((KEYS * 4) / (ms / 1000));
    return {
      title: `Work queue: ${KEYS} keys × (2 adds + get + done), best of ${ROUNDS}`,
      columns: ['queue', 'best ms', 'ops/s'],
      rows: [
        [
          'typerator WorkQueue (dedupe, in-flight tracking, priorities, metrics off)',
          Math.round(best(ours)),
          opsPerSecond(best(ours)),
        ],
        [
          'peer: a bare array FIFO + Set dedupe (no in-flight tracking)',
          Math.round(best(naive)),
          opsPerSecond(best(naive)),
        ],
      ],
      notes: [`typerator runs at ${(best(naive) / best(ours)).toFixed(2)}× the bare FIFO's throughput`],
    };
  },
};
export default benchmark;
