import { readFileSync } from 'node:fs';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import type { ExecConfig, Kubeconfig, KubeconfigCluster, KubeconfigUser } from './kubeconfig.ts';

/** What client-node's `KubeConfig.loadFromOptions` takes. */
export interface ClientNodeOptions {
  clusters: Cluster[];
  users: User[];
  contexts: Context[];
  currentContext: string;
}

/** Either kind of kubeconfig Typerator accepts. */
export type AnyKubeconfig = KubeConfig | Kubeconfig;

/** True for a client-node KubeConfig (a class instance), false for Typerator's plain data. */
export function isClientNodeKubeConfig(kubeconfig: AnyKubeconfig): kubeconfig is KubeConfig {
  return typeof (kubeconfig as Partial<KubeConfig>).applyToHTTPSOptions === 'function';
}

/** Typerator's model of either kind, reading only client-node's plain fields (no client-node code runs). */
export function asKubeconfig(kubeconfig: AnyKubeconfig): Kubeconfig {
  return isClientNodeKubeConfig(kubeconfig) ? fromClientNode(kubeconfig) : kubeconfig;
}

/** client-node writes null for fields a file leaves out. */
const given = <T>(value: T | null | undefined): T | undefined =>
  value === null || value === '' ? undefined : value;

function defined<T extends object>(fields: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}

/** A list client-node leaves undefined until something is loaded. */
const list = <T>(items: readonly T[] | undefined): readonly T[] => items ?? [];

function fromClientNode(kubeConfig: KubeConfig): Kubeconfig {
  const clusters = list(kubeConfig.clusters as Cluster[] | undefined).map((cluster) =>
    defined<KubeconfigCluster>({
      name: cluster.name,
      server: cluster.server,
      certificateAuthority: given(cluster.caFile),
      certificateAuthorityData: given(cluster.caData),
      insecureSkipTlsVerify: cluster.skipTLSVerify || undefined,
      tlsServerName: given(cluster.tlsServerName),
      proxyUrl: given(cluster.proxyUrl),
      execExtension: undefined,
    }),
  );
  const users = list(kubeConfig.users as User[] | undefined).map((user) => {
    const provider = given(user.authProvider as KubeconfigUser['authProvider'] | null);
    const providerConfig = provider?.config ?? {};
    // client-node's own pseudo-providers: its in-cluster token file, and exec under auth-provider.
    const tokenFile =
      typeof providerConfig['tokenFile'] === 'string' ? providerConfig['tokenFile'] : undefined;
    const providerExec = providerConfig['exec'] as Partial<ExecConfig> | undefined;
    const native = tokenFile !== undefined || providerExec !== undefined || provider?.name === 'exec';
    const exec = given(user.exec as Partial<ExecConfig> | null) ?? providerExec;
    return defined<KubeconfigUser>({
      name: user.name,
      clientCertificate: given(user.certFile),
      clientCertificateData: given(user.certData),
      clientKey: given(user.keyFile),
      clientKeyData: given(user.keyData),
      token: given(user.token),
      tokenFile,
      username: given(user.username),
      password: given(user.password),
      exec: exec?.command ? { ...exec, command: exec.command, apiVersion: exec.apiVersion ?? '' } : undefined,
      authProvider: native ? undefined : provider,
      impersonate: given(user.impersonateUser),
      impersonateUid: undefined,
      impersonateGroups: undefined,
      impersonateExtra: undefined,
    });
  });
  const contexts = list(kubeConfig.contexts as Context[] | undefined).map((context) =>
    defined({
      name: context.name,
      cluster: context.cluster,
      user: given(context.user),
      namespace: given(context.namespace),
    }),
  );
  const currentContext = given(kubeConfig.currentContext);
  return { clusters, users, contexts, ...(currentContext ? { currentContext } : {}), clientNode: kubeConfig };
}

/** The fields client-node's `KubeConfig.loadFromOptions` takes, for a Typerator kubeconfig. */
export function toClientNodeOptions(kubeconfig: Kubeconfig): ClientNodeOptions {
  return {
    clusters: kubeconfig.clusters.map((cluster) =>
      defined<Cluster>({
        name: cluster.name,
        server: cluster.server,
        caFile: cluster.certificateAuthority,
        caData: cluster.certificateAuthorityData,
        skipTLSVerify: cluster.insecureSkipTlsVerify ?? false,
        tlsServerName: cluster.tlsServerName,
        proxyUrl: cluster.proxyUrl,
      }),
    ),
    users: kubeconfig.users.map((user) => {
      // client-node re-reads a token file only as its in-cluster pseudo-provider.
      const tokenFileProvider =
        user.tokenFile !== undefined && !user.authProvider
          ? { name: 'tokenFile', config: { tokenFile: user.tokenFile } }
          : undefined;
      const token =
        user.token ??
        (user.tokenFile !== undefined && !tokenFileProvider
          ? readFileSync(user.tokenFile, 'utf8').trim()
          : undefined);
      return defined<User>({
        name: user.name,
        certFile: user.clientCertificate,
        certData: user.clientCertificateData,
        keyFile: user.clientKey,
        keyData: user.clientKeyData,
        token,
        username: user.username,
        password: user.password,
        exec: user.exec,
        authProvider: user.authProvider ?? tokenFileProvider,
        impersonateUser: user.impersonate,
      });
    }),
    contexts: kubeconfig.contexts.map((context) => ({
      name: context.name,
      cluster: context.cluster,
      user: context.user as string,
      ...(context.namespace ? { namespace: context.namespace } : {}),
    })),
    currentContext: kubeconfig.currentContext ?? '',
  };
}
