import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { BindAddressError } from '../errors/bind-address-error.ts';

/** A named health check: resolves true when healthy. */
export type HealthCheck = () => boolean | Promise<boolean>;

/** Where a server listens: `host:port`, `:port`, or `0` for a free port. `false` disables it. */
export type BindAddress = string | false;

function parseBindAddress(address: string): { host: string | undefined; port: number } {
  const colon = address.lastIndexOf(':');
  const host = colon > 0 ? address.slice(0, colon) : undefined;
  const port = Number(colon >= 0 ? address.slice(colon + 1) : address);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new BindAddressError(
      `invalid bind address "${address}": expected host:port, :port or a port number`,
      address,
    );
  return { host, port };
}

/** A small HTTP server that serves fixed routes; used for /metrics and the health probes. */
export class RouteServer {
  private readonly server: Server;
  private readonly routes: Map<string, () => Promise<{ status: number; contentType: string; body: string }>>;

  constructor(routes: Map<string, () => Promise<{ status: number; contentType: string; body: string }>>) {
    this.routes = routes;
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const route = this.routes.get(path);
      if (!route || req.method !== 'GET') {
        res
          .writeHead(route ? 405 : 404, { 'content-type': 'text/plain' })
          .end(route ? 'method not allowed\n' : 'not found\n');
        return;
      }
      route().then(
        ({ status, contentType, body }) => res.writeHead(status, { 'content-type': contentType }).end(body),
        (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`),
      );
    });
  }

  /** Listens; resolves with the bound port. */
  async listen(address: string): Promise<number> {
    const { host, port } = parseBindAddress(address);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The /metrics route over a prom-client registry. */
export function metricsRoutes(registry: Registry): RouteServer {
  return new RouteServer(
    new Map([
      [
        '/metrics',
        async () => ({ status: 200, contentType: registry.contentType, body: await registry.metrics() }),
      ],
    ]),
  );
}

/** /healthz and /readyz, each passing when all of its checks pass; the body names failures. */
export function probeRoutes(
  liveness: ReadonlyMap<string, HealthCheck>,
  readiness: ReadonlyMap<string, HealthCheck>,
): RouteServer {
  const evaluate = (checks: ReadonlyMap<string, HealthCheck>) => async () => {
    const results = await Promise.all(
      [...checks].map(
        async ([name, check]) => [name, await Promise.resolve(check()).catch(() => false)] as const,
      ),
    );
    const failed = results.filter(([, ok]) => !ok).map(([name]) => name);
    return failed.length === 0
      ? { status: 200, contentType: 'text/plain', body: 'ok\n' }
      : { status: 503, contentType: 'text/plain', body: `failed: ${failed.join(', ')}\n` };
  };
  return new RouteServer(
    new Map([
      ['/healthz', evaluate(liveness)],
      ['/readyz', evaluate(readiness)],
    ]),
  );
}
