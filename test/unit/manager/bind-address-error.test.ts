import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { BindAddressError } from '../../../sdk/errors/bind-address-error.ts';
import { metricsRoutes } from '../../../sdk/manager/probe-server.ts';
import { metricsRegistry } from '../../../sdk/metrics/registry.ts';
import { newTestServer } from '../webhook/fixtures.ts';

describe('BindAddressError', () => {
  it('names the webhook address in use and the port option that changes it', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const { server, files } = await newTestServer({ port });
    try {
      await assert.rejects(
        server.start(),
        (error: unknown) =>
          error instanceof BindAddressError &&
          error.address === `127.0.0.1:${port}` &&
          error.message ===
            `cannot serve webhooks on 127.0.0.1:${port}: the address is already in use (another process ` +
              `listens there); set --webhook-port or WEBHOOK_PORT (the webhook server's port option, ` +
              `ManagerOptions.webhook.port) to a free port`,
      );
    } finally {
      await server.stop();
      files.remove();
      taken.close();
    }
  });

  it('refuses a malformed bind address with what it accepts', async () => {
    await assert.rejects(
      metricsRoutes(metricsRegistry).listen('localhost:http'),
      (error: unknown) =>
        error instanceof BindAddressError &&
        error.message === 'invalid bind address "localhost:http": expected host:port, :port or a port number',
    );
  });
});
