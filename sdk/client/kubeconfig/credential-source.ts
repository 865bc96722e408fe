import type { OutgoingHttpHeaders } from 'node:http';

/** TLS options of the connection pool: the cluster's CA and server name, the user's client certificate. */
export interface TlsMaterial {
  readonly ca?: string | Buffer;
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  readonly rejectUnauthorized?: false;
  readonly servername?: string;
}

/** Credentials for one cluster and user, as the transport applies them. */
export interface Credentials {
  readonly tls: TlsMaterial;
  /** Authorization (lower-case header names); impersonation is the transport's. */
  readonly headers: OutgoingHttpHeaders;
}

/** Where a transport gets credentials from: Typerator's own code, or client-node for plugins it lacks. */
export interface CredentialSource {
  /**
   * Current credentials; with `fresh`, cached ones (an exec plugin's, a re-read token file's) are
   * dropped first, because the apiserver just rejected them.
   */
  resolve(fresh: boolean): Promise<Credentials>;
}
