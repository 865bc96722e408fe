import type { OutgoingHttpHeaders } from 'node:http';
import type { Agent } from 'node:https';
import type { RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { toClientNodeOptions } from './client-node-shape.ts';
import type { CredentialSource, Credentials, TlsMaterial } from './credential-source.ts';
import type { Kubeconfig } from './kubeconfig.ts';

/**
 * The same kubeconfig with empty credential caches, for after a 401: client-node keeps an exec
 * plugin's token until its expirationTimestamp and re-reads a token file only once a minute, so it
 * would hand back the token the server just rejected. Only for those two: a copy would lose
 * authenticators added with addAuthenticator, which client-node consults only when no built-in one
 * claims the user.
 */
export function withFreshCredentials(kubeConfig: KubeConfig): KubeConfig {
  const user = kubeConfig.getCurrentUser();
  const exec: unknown = user?.exec;
  const provider = user?.authProvider as { name?: string; config?: Record<string, unknown> } | undefined;
  const cached =
    exec || provider?.name === 'exec' || provider?.config?.['exec'] || provider?.config?.['tokenFile'];
  if (!cached) return kubeConfig;
  // Its own class, so this module never loads client-node itself.
  const fresh = new (kubeConfig.constructor as new () => KubeConfig)();
  fresh.loadFromOptions({
    clusters: kubeConfig.clusters,
    users: kubeConfig.users,
    contexts: kubeConfig.contexts,
    currentContext: kubeConfig.currentContext,
  });
  return fresh;
}

/**
 * Credentials through @kubernetes/client-node, for what Typerator does not do itself: auth-provider
 * plugins (oidc, gcp, azure) and authenticators added to a client-node KubeConfig. client-node is
 * imported only when such a user is used, unless the caller handed over a client-node KubeConfig.
 */
export class ClientNodeCredentials implements CredentialSource {
  private readonly kubeconfig: Kubeconfig;
  private kubeConfig: KubeConfig | undefined;

  constructor(kubeconfig: Kubeconfig) {
    this.kubeconfig = kubeconfig;
    this.kubeConfig = kubeconfig.clientNode;
  }

  async resolve(fresh: boolean): Promise<Credentials> {
    let kubeConfig = this.kubeConfig ?? (await this.load());
    if (fresh) kubeConfig = withFreshCredentials(kubeConfig);
    this.kubeConfig = kubeConfig;
    const scratch: RequestOptions = {};
    await kubeConfig.applyToHTTPSOptions(scratch);
    (scratch.agent as Agent | undefined)?.destroy();
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(scratch.headers ?? {})) {
      // Impersonation is the transport's, from the kubeconfig or its options.
      if (value !== undefined && name.toLowerCase() !== 'impersonate-user')
        headers[name.toLowerCase()] = value;
    }
    if (scratch.auth) headers['authorization'] = `Basic ${Buffer.from(scratch.auth).toString('base64')}`;
    const tls: TlsMaterial = {
      ...(scratch.ca ? { ca: scratch.ca as string | Buffer } : {}),
      ...(scratch.cert ? { cert: scratch.cert as string | Buffer } : {}),
      ...(scratch.key ? { key: scratch.key as string | Buffer } : {}),
      ...(scratch.rejectUnauthorized === false ? { rejectUnauthorized: false as const } : {}),
      ...(scratch.servername ? { servername: scratch.servername } : {}),
    };
    return { tls, headers };
  }

  private async load(): Promise<KubeConfig> {
    const { KubeConfig } = await import('@kubernetes/client-node');
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions(toClientNodeOptions(this.kubeconfig));
    return kubeConfig;
  }
}
