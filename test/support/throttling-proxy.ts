import { createServer, type IncomingMessage, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';

/**
 * A plain-HTTP proxy on 127.0.0.1 in front of a real apiserver that answers the first `throttle`
 * requests to each path with 429 and `Retry-After: <retryAfterSeconds>`, like API Priority and
 * Fairness does under load, and forwards the rest with the admin credentials.
 */
export class ThrottlingProxy {
  readonly attempts = new Map<string, number[]>();
  private readonly server: Server;
  private readonly throttle: number;

  constructor(target: KubeConfig, throttle: number, retryAfterSeconds: number) {
    this.throttle = throttle;
    const cluster = target.getCurrentCluster();
    const user = target.getCurrentUser();
    if (!cluster || !user) throw new Error('the target kubeconfig needs a current cluster and user');
    const decode = (data: string | undefined) => (data ? Buffer.from(data, 'base64') : undefined);
    const tls = { ca: decode(cluster.caData), cert: decode(user.certData), key: decode(user.keyData) };
    const upstream = new URL(cluster.server);
    this.server = createServer((req: IncomingMessage, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const times = this.attempts.get(path) ?? [];
      times.push(Date.now());
      this.attempts.set(path, times);
      if (times.length <= this.throttle) {
        req.resume();
        res.writeHead(429, { 'retry-after': String(retryAfterSeconds), 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            reason: 'TooManyRequests',
            code: 429,
            message: 'too many requests, please try again later',
          }),
        );
        return;
      }
      const forward = httpsRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, host: upstream.host },
          ...tls,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', (error) => res.writeHead(502).end(String(error)));
      req.pipe(forward);
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
