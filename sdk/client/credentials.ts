import { readFileSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import type { TransportOptions } from './transport.ts';

/** The user name client-node gives the credentials of a pod's service account. */
const IN_CLUSTER_USER = 'inClusterUser';

/**
 * Which credentials a kubeconfig presents, for messages about refused requests: `kubeconfig user
 * "alice" (context "dev")`, or `the pod's service account "ops/operator"` in a cluster, plus any
 * impersonation.
 */
export function describeCredentials(
  kubeConfig: KubeConfig,
  impersonate?: TransportOptions['impersonate'],
): string {
  const user = kubeConfig.getCurrentUser();
  const context = kubeConfig.getCurrentContext();
  let described: string;
  if (user?.name === IN_CLUSTER_USER) {
    const tokenFile = (user.authProvider as { config?: { tokenFile?: string } } | undefined)?.config
      ?.tokenFile;
    const account = tokenFile ? serviceAccountOf(tokenFile) : undefined;
    described = account ? `the pod's service account "${account}"` : "the pod's service account";
  } else {
    described = `kubeconfig user "${user?.name ?? '(none)'}" (context "${context}")`;
  }
  const as = impersonate?.user ?? user?.impersonateUser;
  return as ? `${described} impersonating "${as}"` : described;
}

/** `namespace/name` from a service account token's subject, if it is a readable JWT. */
function serviceAccountOf(tokenFile: string): string | undefined {
  try {
    const payload = readFileSync(tokenFile, 'utf8').trim().split('.')[1] ?? '';
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown };
    const match = typeof claims.sub === 'string' && /^system:serviceaccount:([^:]+):(.+)$/.exec(claims.sub);
    return match ? `${match[1]}/${match[2]}` : undefined;
  } catch {
    return undefined;
  }
}
