import { readFileSync } from 'node:fs';
import { asKubeconfig, type AnyKubeconfig } from './kubeconfig/client-node-shape.ts';
import { IN_CLUSTER_USER } from './kubeconfig/in-cluster.ts';
import { currentEntries } from './kubeconfig/kubeconfig.ts';
import type { TransportOptions } from './transport.ts';

/**
 * Which credentials a kubeconfig presents, for messages about refused requests: `kubeconfig user
 * "alice" (context "dev")`, or `the pod's service account "ops/operator"` in a cluster, plus any
 * impersonation.
 */
export function describeCredentials(
  kubeConfig: AnyKubeconfig,
  impersonate?: TransportOptions['impersonate'],
): string {
  const { contextName, user } = currentEntries(asKubeconfig(kubeConfig));
  let described: string;
  if (user?.name === IN_CLUSTER_USER) {
    const account = user.tokenFile ? serviceAccountOf(user.tokenFile) : undefined;
    described = account ? `the pod's service account "${account}"` : "the pod's service account";
  } else {
    described = `kubeconfig user "${user?.name ?? '(none)'}" (context "${contextName}")`;
  }
  const as = impersonate?.user ?? user?.impersonate;
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
