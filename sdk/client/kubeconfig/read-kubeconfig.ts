import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { KubeConfigError } from '../errors.ts';
import { inClusterKubeconfig, SERVICE_ACCOUNT_FOLDER } from './in-cluster.ts';
import { currentEntries, type Kubeconfig } from './kubeconfig.ts';
import { isYamlError, parseKubeconfig } from './parse-kubeconfig.ts';

const WHAT_TO_DO =
  'set KUBECONFIG to your kubeconfig file (or pass --kubeconfig); for a local cluster, run ' +
  '`typerator cluster up` and export the KUBECONFIG it prints';

export interface ReadKubeconfigOptions {
  /** A kubeconfig file named explicitly (e.g. by a --kubeconfig flag); default: the environment's. */
  readonly path?: string;
  /** Read for KUBECONFIG, HOME and KUBERNETES_SERVICE_HOST/PORT; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where a pod's service account is mounted; default /var/run/secrets/kubernetes.io/serviceaccount. */
  readonly serviceAccountFolder?: string;
}

/**
 * Reads the kubeconfig the way kubectl finds it: `path`, else the files KUBECONFIG names (merged:
 * the first file to define a name wins, the first to set current-context decides it; missing files
 * skipped), else ~/.kube/config, else the pod's service account. Anything unusable is a
 * {@link KubeConfigError} that names the file and the fix. Does not load @kubernetes/client-node.
 */
export function readKubeconfig(options: ReadKubeconfigOptions = {}): Kubeconfig {
  const env = options.env ?? process.env;
  if (options.path !== undefined) return readFiles([options.path], `kubeconfig ${options.path}`);
  const fromEnvironment = (env['KUBECONFIG'] ?? '').split(delimiter).filter(Boolean);
  if (fromEnvironment.length > 0) {
    const present = fromEnvironment.filter((file) => existsSync(file));
    if (present.length === 0) {
      const names = fromEnvironment.join(', ');
      throw new KubeConfigError(
        `KUBECONFIG names ${names}, which ${fromEnvironment.length === 1 ? 'does' : 'do'} not exist: ${WHAT_TO_DO}`,
      );
    }
    return readFiles(present, `KUBECONFIG ${present.join(delimiter)}`);
  }
  const home = env['HOME'] || homedir();
  const userConfig = join(home, '.kube', 'config');
  if (existsSync(userConfig)) return readFiles([userConfig], `kubeconfig ${userConfig}`);
  const serviceAccount = options.serviceAccountFolder ?? SERVICE_ACCOUNT_FOLDER;
  const tokenFile = join(serviceAccount, 'token');
  if (existsSync(tokenFile)) {
    if (!env['KUBERNETES_SERVICE_HOST'] || !env['KUBERNETES_SERVICE_PORT'])
      throw new KubeConfigError(
        `a service account token is mounted (${tokenFile}) but KUBERNETES_SERVICE_HOST and ` +
          `KUBERNETES_SERVICE_PORT are not set, so the apiserver is unknown: ${WHAT_TO_DO}`,
      );
    return inClusterKubeconfig(env, serviceAccount);
  }
  throw new KubeConfigError(
    `no kubeconfig found: KUBECONFIG is not set, ${userConfig} does not exist, and this is not a pod ` +
      `with a service account: ${WHAT_TO_DO}`,
  );
}

function readFile(file: string): Kubeconfig {
  try {
    if (!statSync(file).isFile()) throw new Error('it is a folder, not a file');
    return parseKubeconfig(readFileSync(file, 'utf8'), dirname(resolve(file)));
  } catch (error) {
    const reason = firstLine(error);
    const problem = !existsSync(file)
      ? 'does not exist'
      : isYamlError(error)
        ? `is not valid YAML (${reason})`
        : `cannot be read (${reason})`;
    throw new KubeConfigError(`kubeconfig ${file} ${problem}: fix it, or ${WHAT_TO_DO}`, { cause: error });
  }
}

/** Reads and merges kubeconfig files as kubectl does, then checks the result. */
function readFiles(files: readonly string[], source: string): Kubeconfig {
  const merged = mergeKubeconfigs(files.map(readFile));
  checkKubeconfig(merged, source);
  return merged;
}

/** kubectl's merge: the first entry of a name wins, and the first current-context set. */
export function mergeKubeconfigs(configs: readonly Kubeconfig[]): Kubeconfig {
  const firstOfName = <T extends { readonly name: string }>(lists: (readonly T[])[]): T[] => {
    const byName = new Map<string, T>();
    for (const list of lists)
      for (const item of list) if (!byName.has(item.name)) byName.set(item.name, item);
    return [...byName.values()];
  };
  const currentContext = configs.find((config) => config.currentContext)?.currentContext;
  return {
    clusters: firstOfName(configs.map((config) => config.clusters)),
    users: firstOfName(configs.map((config) => config.users)),
    contexts: firstOfName(configs.map((config) => config.contexts)),
    ...(currentContext ? { currentContext } : {}),
  };
}

/**
 * Checks that a kubeconfig's current context names a defined cluster with a server URL, so the
 * mistake is reported with its source instead of as a failed request later.
 */
export function checkKubeconfig(kubeconfig: Kubeconfig, source: string): void {
  const contexts = kubeconfig.contexts.map((context) => context.name);
  if (contexts.length === 0)
    throw new KubeConfigError(
      `${source} defines no contexts, so it is not a usable kubeconfig: ${WHAT_TO_DO}`,
    );
  const useContext = `run \`kubectl config use-context <name>\` (contexts: ${contexts.join(', ')})`;
  const { contextName, context, cluster } = currentEntries(kubeconfig);
  if (!contextName) throw new KubeConfigError(`${source} has no current-context: ${useContext}`);
  if (!context)
    throw new KubeConfigError(`${source}: current-context "${contextName}" is not defined: ${useContext}`);
  if (!cluster)
    throw new KubeConfigError(
      `${source}: context "${contextName}" names cluster "${context.cluster}", which is not defined`,
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
