// The process a `--controllers typerator` run starts beside the cluster: one manager running our
// workload controllers in drop-in mode (they reconcile the built-in apps/v1 kinds), until SIGTERM.
//
//   node test/conformance/drop-in-operator.ts <kubeconfig> <health probe port>
//
// Logs go to stdout as JSON; /readyz on the probe port turns 200 once the caches are synced.
import { KubeConfig } from '@kubernetes/client-node';
import { createLogger } from '../../sdk/logging/logger.ts';
import { Manager } from '../../sdk/manager/manager.ts';
import { setupDropIn } from '../../operators/drop-in.ts';

const [kubeconfig, probePort] = process.argv.slice(2);
if (!kubeconfig || !probePort) {
  process.stderr.write('usage: node test/conformance/drop-in-operator.ts <kubeconfig> <health probe port>\n');
  process.exit(2);
}

await Manager.run(async () => {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfig);
  const manager = await Manager.create({
    kubeConfig,
    metricsBindAddress: false,
    healthProbeBindAddress: `127.0.0.1:${probePort}`,
    logger: createLogger({ component: 'typerator-drop-in', format: 'json', level: 'info' }),
  });
  setupDropIn(manager);
  return manager;
});
