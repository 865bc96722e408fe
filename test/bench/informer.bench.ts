import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '../../sdk/client/client.ts';
import { kinds } from '../../sdk/client/resource-kind.ts';
import { startControlPlane } from '../../sdk/testing/index.ts';
import type { BenchTable, Benchmark } from './bench-table.ts';

const run = promisify(execFile);
const child = fileURLToPath(new URL('./informer-sync-child.ts', import.meta.url));
const sizes = (process.env['BENCH_INFORMER_SIZES'] ?? '10000,50000').split(',').map(Number);
const payload = 'x'.repeat(512);

interface Measurement {
  readonly impl: string;
  readonly count: number;
  readonly syncMs: number;
  readonly heapBytesPerObject: number;
}

async function fill(client: Client, namespace: string, count: number): Promise<void> {
  await client.resource(kinds.Namespace).create({ metadata: { name: namespace } });
  const maps = client.resource(kinds.ConfigMap);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      await maps.create({
        metadata: { name: `cm-${i}`, namespace, labels: { bench: 'informer', index: String(i) } },
        data: { payload },
      });
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

async function measure(
  impl: string,
  kubeconfig: string,
  namespace: string,
  count: number,
): Promise<Measurement> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', child, impl, kubeconfig, namespace, String(count)],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Measurement;
}

/** Initial sync time and retained heap per object: our informer against client-node's makeInformer. */
const benchmark: Benchmark = {
  name: 'informer initial sync',
  async run(): Promise<BenchTable> {
    const plane = await startControlPlane();
    const client = await Client.fromKubeConfig(plane.kubeConfig(), { qps: 5_000, burst: 5_000 });
    const rows: (string | number)[][] = [];
    const notes: string[] = [];
    try {
      for (const count of sizes) {
        const namespace = `bench-${count}`;
        await fill(client, namespace, count);
        // Two rounds in alternating order, best of each: neither side always runs first or cold.
        const impls = ['client-node', 'typerator', 'typerator-stream'];
        const runs: Measurement[] = [];
        for (const impl of impls) runs.push(await measure(impl, plane.kubeconfigPath, namespace, count));
        for (const impl of [...impls].reverse())
          runs.push(await measure(impl, plane.kubeconfigPath, namespace, count));
        const best = (impl: string) =>
          runs.filter((m) => m.impl === impl).reduce((a, b) => (a.syncMs <= b.syncMs ? a : b));
        const [peerBest, ours, stream] = impls.map(best) as [Measurement, Measurement, Measurement];
        for (const m of [peerBest, ours, stream]) {
          rows.push([count, m.impl, Math.round(m.syncMs), Math.round(m.heapBytesPerObject)]);
        }
        notes.push(
          `${count} objects: typerator sync time ${(ours.syncMs / peerBest.syncMs).toFixed(2)}× makeInformer's, heap per object ${(ours.heapBytesPerObject / peerBest.heapBytesPerObject).toFixed(2)}×; streaming list ${(stream.syncMs / peerBest.syncMs).toFixed(2)}× time, ${(stream.heapBytesPerObject / peerBest.heapBytesPerObject).toFixed(2)}× heap`,
        );
      }
    } finally {
      client.close();
      await plane.stop();
    }
    return {
      title: 'Informer initial sync (ConfigMaps with a 512-byte payload, one apiserver, same run)',
      columns: ['objects', 'implementation', 'sync ms', 'heap bytes/object'],
      rows,
      notes: [
        'Best of two runs each, alternating order. client-node = makeInformer; typerator = paginated LIST (500/page) + WATCH, managedFields dropped; typerator-stream = streaming list (sendInitialEvents).',
        ...notes,
      ],
    };
  },
};
export default benchmark;
