import { createRequire } from 'node:module';
import type { KubeConfig } from '@kubernetes/client-node';
import { asKubeconfig, toClientNodeOptions } from './kubeconfig/client-node-shape.ts';
import { checkKubeconfig, readKubeconfig, type ReadKubeconfigOptions } from './kubeconfig/read-kubeconfig.ts';

export type LoadKubeConfigOptions = ReadKubeconfigOptions;

/**
 * Loads the kubeconfig the way kubectl finds it, as a @kubernetes/client-node KubeConfig: `path`,
 * else the files KUBECONFIG names (merged; missing ones skipped, as kubectl does), else
 * ~/.kube/config, else the pod's service account. Unlike client-node's `loadFromDefault`, which falls
 * back to http://localhost:8080 when it finds nothing, anything unusable is a {@link KubeConfigError}
 * that names the file and the fix. Loads client-node (~0.5 s CPU, ~90 MiB): to only connect a
 * Client or Manager, {@link readKubeconfig} gives Typerator's own kubeconfig without it.
 */
export function loadKubeConfig(options: LoadKubeConfigOptions = {}): KubeConfig {
  const kubeconfig = readKubeconfig(options);
  // Required here, not imported at the top: whoever imports Typerator does not pay for client-node.
  const { KubeConfig } = createRequire(import.meta.url)(
    '@kubernetes/client-node',
  ) as typeof import('@kubernetes/client-node');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions(toClientNodeOptions(kubeconfig));
  return kubeConfig;
}

/**
 * Checks that a kubeconfig's current context names a defined cluster with a server URL, so the
 * mistake is reported with its source instead of as a failed request later.
 */
export function checkKubeConfig(kubeConfig: KubeConfig, source: string): void {
  checkKubeconfig(asKubeconfig(kubeConfig), source);
}
