import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeConfigError } from './errors.ts';

/** Where a pod's service account credentials are mounted. */
const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

const WHAT_TO_DO =
  'set KUBECONFIG to your kubeconfig file (or pass --kubeconfig); for a local cluster, run ' +
  '`typerator cluster up` and export the KUBECONFIG it prints';

export interface LoadKubeConfigOptions {
  /** A kubeconfig file named explicitly (e.g. by a --kubeconfig flag); default: the environment's. */
  readonly path?: string;
  /** Read for KUBECONFIG and HOME; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Loads the kubeconfig the way kubectl finds it: `path`, else the files KUBECONFIG names (merged;
 * missing ones skipped, as kubectl does), else ~/.kube/config, else the pod's service account. Unlike
 * client-node's `loadFromDefault`, which falls back to http://localhost:8080 when it finds nothing,
 * anything unusable is a {@link KubeConfigError} that names the file and the fix.
 */
export function loadKubeConfig(options: LoadKubeConfigOptions = {}): KubeConfig {
  const env = options.env ?? process.env;
  if (options.path !== undefined) return loadFiles([options.path], `kubeconfig ${options.path}`);
  const fromEnvironment = (env['KUBECONFIG'] ?? '').split(delimiter).filter(Boolean);
  if (fromEnvironment.length > 0) {
    const present = fromEnvironment.filter((file) => existsSync(file));
    if (present.length === 0) {
      const names = fromEnvironment.join(', ');
      throw new KubeConfigError(
        `KUBECONFIG names ${names}, which ${fromEnvironment.length === 1 ? 'does' : 'do'} not exist: ${WHAT_TO_DO}`,
      );
    }
    return loadFiles(present, `KUBECONFIG ${present.join(delimiter)}`);
  }
  const home = env['HOME'] || homedir();
  const userConfig = join(home, '.kube', 'config');
  if (existsSync(userConfig)) return loadFiles([userConfig], `kubeconfig ${userConfig}`);
  if (existsSync(SERVICE_ACCOUNT_TOKEN)) {
    if (!process.env['KUBERNETES_SERVICE_HOST'] || !process.env['KUBERNETES_SERVICE_PORT'])
      throw new KubeConfigError(
        `a service account token is mounted (${SERVICE_ACCOUNT_TOKEN}) but KUBERNETES_SERVICE_HOST and ` +
          `KUBERNETES_SERVICE_PORT are not set, so the apiserver is unknown: ${WHAT_TO_DO}`,
      );
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromCluster();
    return kubeConfig;
  }
  throw new KubeConfigError(
    `no kubeconfig found: KUBECONFIG is not set, ${userConfig} does not exist, and this is not a pod ` +
      `with a service account: ${WHAT_TO_DO}`,
  );
}

/** Loads and merges kubeconfig files (later files add to earlier ones), then checks the result. */
function loadFiles(files: readonly string[], source: string): KubeConfig {
  let merged: KubeConfig | undefined;
  for (const file of files) {
    const kubeConfig = new KubeConfig();
    try {
      if (!statSync(file).isFile()) throw new Error('it is a folder, not a file');
      kubeConfig.loadFromFile(file);
    } catch (error) {
      const reason = firstLine(error);
      const problem = !existsSync(file)
        ? 'does not exist'
        : (error as Error).name === 'YAMLException'
          ? `is not valid YAML (${reason})`
          : `cannot be read (${reason})`;
      throw new KubeConfigError(`kubeconfig ${file} ${problem}: fix it, or ${WHAT_TO_DO}`, { cause: error });
    }
    // Like kubectl, the first file that sets current-context decides it.
    if (merged) merged.mergeConfig(kubeConfig, Boolean(merged.currentContext));
    else merged = kubeConfig;
  }
  if (!merged) throw new KubeConfigError(`no kubeconfig files given: ${WHAT_TO_DO}`);
  checkKubeConfig(merged, source);
  return merged;
}

/**
 * Checks that a kubeconfig's current context names a defined cluster with a server URL, so the
 * mistake is reported with its source instead of as a failed request later.
 */
export function checkKubeConfig(kubeConfig: KubeConfig, source: string): void {
  const contexts = kubeConfig.getContexts().map((context) => context.name);
  if (contexts.length === 0)
    throw new KubeConfigError(
      `${source} defines no contexts, so it is not a usable kubeconfig: ${WHAT_TO_DO}`,
    );
  const useContext = `run \`kubectl config use-context <name>\` (contexts: ${contexts.join(', ')})`;
  const current = kubeConfig.getCurrentContext();
  if (!current) throw new KubeConfigError(`${source} has no current-context: ${useContext}`);
  const context = kubeConfig.getContextObject(current);
  if (!context)
    throw new KubeConfigError(`${source}: current-context "${current}" is not defined: ${useContext}`);
  const cluster = kubeConfig.getCluster(context.cluster);
  if (!cluster)
    throw new KubeConfigError(
      `${source}: context "${current}" names cluster "${context.cluster}", which is not defined`,
    );
  if (!URL.canParse(cluster.server))
    throw new KubeConfigError(
      `${source}: cluster "${cluster.name}" has server "${cluster.server}", which is not a URL ` +
        `(expected https://<host>:<port>)`,
    );
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
