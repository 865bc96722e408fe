import type { KubeConfig } from '@kubernetes/client-node';

/** How an exec credential plugin is run (a kubeconfig user's `exec`). */
export interface ExecConfig {
  /** client.authentication.k8s.io/v1 or v1beta1. */
  readonly apiVersion: string;
  readonly command: string;
  readonly args?: readonly string[];
  readonly env?: readonly { readonly name: string; readonly value: string }[];
  /** Pass the cluster's server, CA and exec extension in KUBERNETES_EXEC_INFO. */
  readonly provideClusterInfo?: boolean;
  /** Never, IfAvailable or Always; an operator has no terminal, so only Always makes a difference. */
  readonly interactiveMode?: string;
  readonly installHint?: string;
}

/** A kubeconfig cluster; file paths are absolute (resolved against the kubeconfig's folder). */
export interface KubeconfigCluster {
  readonly name: string;
  readonly server: string;
  readonly certificateAuthority?: string;
  /** Base64 PEM, as in the file. */
  readonly certificateAuthorityData?: string;
  readonly insecureSkipTlsVerify?: boolean;
  readonly tlsServerName?: string;
  readonly proxyUrl?: string;
  /** The `client.authentication.k8s.io/exec` extension, handed to exec plugins with provideClusterInfo. */
  readonly execExtension?: unknown;
}

/** A kubeconfig user; file paths are absolute. */
export interface KubeconfigUser {
  readonly name: string;
  readonly clientCertificate?: string;
  /** Base64 PEM, as in the file. */
  readonly clientCertificateData?: string;
  readonly clientKey?: string;
  /** Base64 PEM, as in the file. */
  readonly clientKeyData?: string;
  readonly token?: string;
  /** Re-read whenever credentials are refreshed (a projected service account token rotates). */
  readonly tokenFile?: string;
  readonly username?: string;
  readonly password?: string;
  readonly exec?: ExecConfig;
  /** A plugin such as oidc, gcp or azure; these are served by @kubernetes/client-node. */
  readonly authProvider?: { readonly name: string; readonly config?: Readonly<Record<string, unknown>> };
  readonly impersonate?: string;
  readonly impersonateUid?: string;
  readonly impersonateGroups?: readonly string[];
  readonly impersonateExtra?: Readonly<Record<string, readonly string[]>>;
}

export interface KubeconfigContext {
  readonly name: string;
  readonly cluster: string;
  readonly user?: string;
  readonly namespace?: string;
}

/**
 * Typerator's own kubeconfig: plain data read without @kubernetes/client-node (whose import costs
 * an operator half a second of CPU and ~90 MiB), see {@link readKubeconfig}. Not client-node's
 * `KubeConfig` class, though both are accepted wherever a kubeconfig is taken.
 */
export interface Kubeconfig {
  readonly clusters: readonly KubeconfigCluster[];
  readonly users: readonly KubeconfigUser[];
  readonly contexts: readonly KubeconfigContext[];
  readonly currentContext?: string;
  /**
   * The client-node KubeConfig this was converted from, if any: its own authenticators serve users
   * Typerator does not handle natively, without loading a second copy of client-node's state.
   */
  readonly clientNode?: KubeConfig;
}

/** The current context and the cluster and user it names (each undefined if not defined). */
export interface CurrentEntries {
  readonly contextName: string;
  readonly context: KubeconfigContext | undefined;
  readonly cluster: KubeconfigCluster | undefined;
  readonly user: KubeconfigUser | undefined;
}

export function currentEntries(kubeconfig: Kubeconfig): CurrentEntries {
  const contextName = kubeconfig.currentContext ?? '';
  const context = kubeconfig.contexts.find((entry) => entry.name === contextName);
  return {
    contextName,
    context,
    cluster: context && kubeconfig.clusters.find((entry) => entry.name === context.cluster),
    user: context?.user === undefined ? undefined : kubeconfig.users.find((u) => u.name === context.user),
  };
}
