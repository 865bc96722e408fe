import type { Clock } from '../../clock/clock.ts';
import { ClientNodeCredentials } from './client-node-credentials.ts';
import type { CredentialSource } from './credential-source.ts';
import { currentEntries, type Kubeconfig, type KubeconfigCluster } from './kubeconfig.ts';
import { NativeCredentials } from './native-credentials.ts';

/**
 * Whether the current user needs @kubernetes/client-node: an auth-provider plugin (oidc, gcp, azure,
 * or any other), or a client-node KubeConfig with authenticators added to it, which may claim any
 * user. Everything else Typerator handles itself.
 */
export function needsClientNode(kubeconfig: Kubeconfig): boolean {
  if (currentEntries(kubeconfig).user?.authProvider) return true;
  const custom = (kubeconfig.clientNode as { custom_authenticators?: unknown[] } | undefined)
    ?.custom_authenticators;
  return (custom?.length ?? 0) > 0;
}

/** Where the credentials of the kubeconfig's current cluster and user come from. */
export function credentialSourceFor(
  kubeconfig: Kubeconfig,
  cluster: KubeconfigCluster,
  clock?: Clock,
): CredentialSource {
  return needsClientNode(kubeconfig)
    ? new ClientNodeCredentials(kubeconfig)
    : new NativeCredentials(cluster, currentEntries(kubeconfig).user, clock);
}
