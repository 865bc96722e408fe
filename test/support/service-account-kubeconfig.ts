import { KubeConfig } from '@kubernetes/client-node';

/**
 * A kubeconfig (JSON, which is also YAML) for the cluster of `admin` that authenticates with a
 * bearer token, e.g. a ServiceAccount's from the TokenRequest API, so a process has only its RBAC.
 */
export function bearerTokenKubeconfig(admin: KubeConfig, user: string, token: string): string {
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error('the admin kubeconfig has no current cluster');
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ ...cluster, name: 'cluster' }],
    users: [{ name: user, token }],
    contexts: [{ name: user, cluster: 'cluster', user }],
    currentContext: user,
  });
  return config.exportConfig();
}
