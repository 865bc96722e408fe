import { existsSync, readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { join } from 'node:path';
import type { Kubeconfig } from './kubeconfig.ts';

/** Where a pod's service account credentials are mounted. */
export const SERVICE_ACCOUNT_FOLDER = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The user name client-node gives a pod's service account, kept so messages read the same. */
export const IN_CLUSTER_USER = 'inClusterUser';

/**
 * The kubeconfig of a pod: the apiserver from KUBERNETES_SERVICE_HOST/PORT (an IPv6 host in
 * brackets), the mounted CA, and the mounted token file, re-read on refresh since the kubelet
 * rotates it. The caller checks that the variables are set.
 */
export function inClusterKubeconfig(
  env: NodeJS.ProcessEnv,
  folder: string = SERVICE_ACCOUNT_FOLDER,
): Kubeconfig {
  const host = env['KUBERNETES_SERVICE_HOST'] ?? '';
  const port = env['KUBERNETES_SERVICE_PORT'] ?? '';
  const namespaceFile = join(folder, 'namespace');
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : '';
  return {
    clusters: [
      {
        name: 'inCluster',
        server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`,
        certificateAuthority: join(folder, 'ca.crt'),
      },
    ],
    users: [{ name: IN_CLUSTER_USER, tokenFile: join(folder, 'token') }],
    contexts: [
      {
        name: 'inClusterContext',
        cluster: 'inCluster',
        user: IN_CLUSTER_USER,
        ...(namespace ? { namespace } : {}),
      },
    ],
    currentContext: 'inClusterContext',
  };
}
