// The Typerator side of the informer comparison in `npm run bench -- peers`
// (test/bench/peers-informer.bench.ts): syncs an informer of the ConfigMaps of one namespace, as
// the controller-runtime peer's informer mode (controller-runtime/informer.go) does with its cache.
// The informer drops managedFields by default, as the peer's transform does. Prints one JSON line
// on stdout once synced, then stays alive until SIGTERM so the harness can read /proc/<pid>.
//
//   KUBECONFIG=... node --expose-gc test/bench/peers/typerator-informer.ts --namespace=bench [--initial-list=stream]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client } from '../../../sdk/client/client.ts';
import { readKubeconfig } from '../../../sdk/client/kubeconfig/read-kubeconfig.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { Informer } from '../../../sdk/informer/informer.ts';
import { listerWatcher } from '../../../sdk/informer/informer-cache.ts';
import { memoryKiBOf } from './process-stats.ts';

const { values } = parseArgs({
  options: { namespace: { type: 'string' }, 'initial-list': { type: 'string', default: 'list' } },
});
const namespace = values.namespace;
const initialList = values['initial-list'];
if (initialList !== 'list' && initialList !== 'stream')
  throw new Error(`--initial-list=${initialList}: expected list or stream`);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc || !namespace) throw new Error('run with --expose-gc and --namespace=<namespace>');

/** The heap still reachable after full collections. */
const liveHeapBytes = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

/** The process's user + system CPU time so far (getrusage, as the Go peer reads it). */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

// Loading the kubeconfig is not timed, as on the Go side (rest.Config before the clock starts).
// Typerator's own reader, as an operator's runner uses it: client-node is never loaded.
const kubeConfig = readKubeconfig();
const rssBeforeKiB = memoryKiBOf('self').rssKiB;
const heapBeforeBytes = liveHeapBytes();

// The clock starts before the client exists, as the peer's starts before its cache does.
const started = performance.now();
const cpuBeforeMs = cpuMs();
const client = await Client.fromKubeConfig(kubeConfig, { userAgent: 'typerator-peer' });
const informer = new Informer(listerWatcher(client, kinds.ConfigMap, { namespace }), { initialList });
informer.start();
await informer.waitForSync(600_000);
const syncMs = performance.now() - started;
const syncedAtEpochMs = performance.timeOrigin + performance.now();
const cpuAtSyncMs = cpuMs();
const atSync = memoryKiBOf('self');
const count = informer.store.size;
const heapAfterBytes = liveHeapBytes();

process.stdout.write(
  `${JSON.stringify({
    count,
    syncMs,
    syncedAtEpochMs,
    cpuBeforeMs,
    cpuAtSyncMs,
    heapBeforeBytes,
    heapAfterBytes,
    rssBeforeKiB,
    rssAtSyncKiB: atSync.rssKiB,
    hwmAtSyncKiB: atSync.hwmKiB,
  })}\n`,
);
process.once('SIGTERM', () => {
  void informer.stop().finally(() => {
    client.close();
    process.exit(0);
  });
});
