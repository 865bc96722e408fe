import { readFileSync } from 'node:fs';
import type { OutgoingHttpHeaders } from 'node:http';
import type { Clock } from '../../clock/clock.ts';
import type { CredentialSource, Credentials, TlsMaterial } from './credential-source.ts';
import { ExecPlugin, type ExecClusterInfo } from './exec-plugin.ts';
import type { KubeconfigCluster, KubeconfigUser } from './kubeconfig.ts';

/** A file's bytes, or base64 data as kubeconfigs carry it. */
function fileOrData(file: string | undefined, data: string | undefined): Buffer | undefined {
  if (file !== undefined) return readFileSync(file);
  return data === undefined ? undefined : Buffer.from(data, 'base64');
}

/** The cluster as an exec plugin sees it with provideClusterInfo. */
function execClusterInfo(cluster: KubeconfigCluster): ExecClusterInfo {
  const ca = fileOrData(cluster.certificateAuthority, cluster.certificateAuthorityData);
  return {
    server: cluster.server,
    ...(cluster.tlsServerName ? { 'tls-server-name': cluster.tlsServerName } : {}),
    ...(cluster.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
    ...(ca ? { 'certificate-authority-data': ca.toString('base64') } : {}),
    ...(cluster.proxyUrl ? { 'proxy-url': cluster.proxyUrl } : {}),
    ...(cluster.execExtension !== undefined ? { config: cluster.execExtension } : {}),
  };
}

/**
 * Credentials from a kubeconfig's cluster and user without client-node: CA (file or data),
 * insecure-skip-tls-verify, tls-server-name; client certificate and key (file or data), a token, a
 * token file (re-read on every refresh), basic auth, and exec plugins. Like client-node, a static
 * token wins over an exec plugin's.
 */
export class NativeCredentials implements CredentialSource {
  private readonly cluster: KubeconfigCluster;
  private readonly user: KubeconfigUser | undefined;
  private readonly exec: ExecPlugin | undefined;

  constructor(cluster: KubeconfigCluster, user: KubeconfigUser | undefined, clock?: Clock) {
    this.cluster = cluster;
    this.user = user;
    this.exec = user?.exec
      ? new ExecPlugin(user.exec, user.exec.provideClusterInfo ? execClusterInfo(cluster) : undefined, clock)
      : undefined;
  }

  async resolve(fresh: boolean): Promise<Credentials> {
    if (fresh) this.exec?.invalidate();
    const { cluster, user } = this;
    const ca = fileOrData(cluster.certificateAuthority, cluster.certificateAuthorityData);
    let cert = user && fileOrData(user.clientCertificate, user.clientCertificateData);
    let key = user && fileOrData(user.clientKey, user.clientKeyData);
    let bearer = user?.token ?? (user?.tokenFile ? readFileSync(user.tokenFile, 'utf8').trim() : undefined);
    if (this.exec) {
      const status = await this.exec.credential();
      bearer ??= status.token;
      if (status.clientCertificateData && status.clientKeyData) {
        cert = Buffer.from(status.clientCertificateData);
        key = Buffer.from(status.clientKeyData);
      }
    }
    const headers: OutgoingHttpHeaders = {};
    if (bearer) headers['authorization'] = `Bearer ${bearer}`;
    else if (user?.username !== undefined || user?.password !== undefined) {
      const pair = `${user.username ?? ''}:${user.password ?? ''}`;
      headers['authorization'] = `Basic ${Buffer.from(pair).toString('base64')}`;
    }
    const tls: TlsMaterial = {
      ...(ca ? { ca } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
      ...(cluster.insecureSkipTlsVerify ? { rejectUnauthorized: false as const } : {}),
      ...(cluster.tlsServerName ? { servername: cluster.tlsServerName } : {}),
    };
    return { tls, headers };
  }
}
