// The Typerator side of `npm run bench -- peers`: a minimal operator on the Manager that reconciles
// BenchItems (bench.typerator.dev/v1) exactly as the controller-runtime peer in
// test/bench/peers/controller-runtime/main.go does. Per item: read it from the cache,
// server-side-apply a ConfigMap of the same name (controller reference to the item, data {value},
// field manager "bench", forced), then merge-patch the item's status to {ready: true,
// observedGeneration}.
//
// No client-side rate limit (the client has none by default), no metrics or probe servers, no
// leader election. Runs with KUBECONFIG set:
//
//   node test/bench/peers/typerator-peer.ts --concurrency=4 --usage-file=/tmp/usage.json
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Manager, kinds, predicates, withControllerReference } from '../../../sdk/index.ts';
import { benchItemKind } from './bench-item.ts';

const { values } = parseArgs({
  options: { concurrency: { type: 'string', default: '1' }, 'usage-file': { type: 'string' } },
});
const usageFile = values['usage-file'];
if (usageFile) {
  // CPU time and peak RSS over the whole life of the process, written as it exits.
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(
      usageFile,
      JSON.stringify({
        userMs: usage.userCPUTime / 1000,
        systemMs: usage.systemCPUTime / 1000,
        maxRssKiB: usage.maxRSS,
      }),
    );
  });
}

const manager = await Manager.create({
  metricsBindAddress: false,
  healthProbeBindAddress: false,
  client: { userAgent: 'typerator-peer' },
});
const items = manager.client.resource(benchItemKind);
const configMaps = manager.client.resource(kinds.ConfigMap);
const cache = manager.cache.informer(benchItemKind).store;

manager
  .controller('benchitems')
  .for(benchItemKind, { predicates: [predicates.generationChanged] })
  .concurrency(Number(values.concurrency))
  .complete(async ({ namespace, name }) => {
    const item = cache.getByName(namespace, name);
    if (!item) return;
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: namespace ?? 'default' },
      data: { value: item.spec.value },
    };
    await configMaps.apply(withControllerReference(configMap, item), { fieldManager: 'bench', force: true });
    await items.patchStatus(
      { namespace, name },
      { status: { ready: true, observedGeneration: item.metadata?.generation } },
      { type: 'merge' },
    );
  });

await manager.runUntilSignal();
