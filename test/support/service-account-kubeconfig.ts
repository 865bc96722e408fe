import { KubeConfig } from '@kubernetes/client-node';
import type { Client } from '../../sdk/client/client.ts';
import { kinds } from '../../sdk/client/resource-kind.ts';

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

/**
 * Creates ServiceAccount `name` in `namespace` and returns a TokenRequest token for it (valid
 * 10 minutes); the account has no RBAC unless the test grants some.
 */
export async function serviceAccountToken(admin: Client, namespace: string, name: string): Promise<string> {
  await admin.resource(kinds.ServiceAccount).create({ metadata: { name, namespace } });
  const request = await admin.transport.request<{ status?: { token?: string } }>({
    method: 'POST',
    path: `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } },
  });
  const token = request.status?.token;
  if (!token) throw new Error(`TokenRequest for ${namespace}/${name} returned no token`);
  return token;
}
