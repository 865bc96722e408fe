// One informer measurement, in a fresh process so heap figures belong to one informer only.
//   node --expose-gc informer-sync-child.ts <typerator|typerator-stream|client-node> <kubeconfig> <namespace> <count>
import { performance } from 'node:perf_hooks';

const [impl, kubeconfigPath, namespace, countArg] = process.argv.slice(2);
const count = Number(countArg);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc || !impl || !kubeconfigPath || !namespace)
  throw new Error('run with --expose-gc and <impl> <kubeconfig> <namespace> <count>');

const { KubeConfig, CoreV1Api, makeInformer } = await import('@kubernetes/client-node');
const { Client } = await import('../../sdk/client/client.ts');
const { kinds } = await import('../../sdk/client/resource-kind.ts');
const { Informer } = await import('../../sdk/informer/informer.ts');
const { listerWatcher } = await import('../../sdk/informer/informer-cache.ts');
const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(kubeconfigPath);

const settle = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const before = settle();
const started = performance.now();
let size: () => number;
let stop: () => Promise<void>;

if (impl === 'client-node') {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const informer = makeInformer(kubeConfig, `/api/v1/namespaces/${namespace}/configmaps`, () =>
    core.listNamespacedConfigMap({ namespace }),
  );
  await informer.start();
  size = () => informer.list().length;
  stop = () => informer.stop();
} else {
  const client = await Client.fromKubeConfig(kubeConfig);
  const informer = new Informer(listerWatcher(client, kinds.ConfigMap, { namespace }), {
    initialList: impl === 'typerator-stream' ? 'stream' : 'list',
  });
  informer.start();
  await informer.waitForSync(600_000);
  size = () => informer.store.size;
  stop = async () => {
    await informer.stop();
    client.close();
  };
}
while (size() < count) await new Promise((resolve) => setTimeout(resolve, 5));
const syncMs = performance.now() - started;
const after = settle();
process.stdout.write(
  `${JSON.stringify({ impl, count: size(), syncMs, heapBytesPerObject: (after - before) / size() })}\n`,
);
await stop();
process.exit(0);
