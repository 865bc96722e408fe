import { Agent as HttpsAgent } from 'node:https';
import type { ClientRequestArgs } from 'node:http';

/**
 * The HTTPS agent of one transport: one server, one TLS identity (CA, certificate and key fixed at
 * construction), so every request belongs to the same connection pool. Node's agent derives the
 * pool's name on every request by joining the CA, certificate and key into one string (kilobytes);
 * profiles of an operator showed that at about a tenth of its CPU. The name is computed once here.
 */
export class SingleServerHttpsAgent extends HttpsAgent {
  private poolName: string | undefined;

  override getName(options?: ClientRequestArgs): string {
    this.poolName ??= super.getName(options);
    return this.poolName;
  }
}
