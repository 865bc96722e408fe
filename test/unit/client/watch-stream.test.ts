import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { GoneError } from '../../../sdk/client/errors.ts';
import { Transport } from '../../../sdk/client/transport.ts';
import { WatchStalledError, watchStream, type WatchEvent } from '../../../sdk/client/watch-stream.ts';

/** What the fake apiserver does with a watch request, chosen by its path. */
type Behaviour = (response: ServerResponse) => void;

const event = (type: string, name: string, resourceVersion: string) =>
  JSON.stringify({ type, object: { metadata: { name, resourceVersion } } }) + '\n';

const behaviours: Record<string, Behaviour> = {
  // Two events, the second split across writes, then the server ends the watch.
  '/split': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const second = event('MODIFIED', 'b', '2');
    res.write(event('ADDED', 'a', '1') + second.slice(0, 10));
    setTimeout(() => res.end(second.slice(10)), 20);
  },
  '/gone': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        type: 'ERROR',
        object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' },
      }) + '\n',
    );
  },
  // Headers, then silence on an open connection.
  '/silent': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
  },
  // The connection is accepted but the request is never answered.
  '/unanswered': () => undefined,
};

describe('watchStream against a fake apiserver on loopback', () => {
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    behaviours[(req.url ?? '').split('?')[0] ?? '']?.(res);
  });
  let transport: Transport;

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [
        {
          name: 'fake',
          server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          skipTLSVerify: true,
        },
      ],
      users: [{ name: 'nobody' }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'nobody' }],
      currentContext: 'fake',
    });
    transport = await Transport.create(kubeConfig, { maxRetries: 0 });
  });
  after(async () => {
    transport.close();
    for (const res of open) res.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const watch = (path: string, idleMs = 10_000) =>
    watchStream<{ metadata: { name: string } }>(transport, { method: 'GET', path }, idleMs);

  it('parses events split across chunks and completes when the server ends the watch', async () => {
    const events = await lastValueFrom(watch('/split').pipe(toArray()));
    assert.deepEqual(
      events.map((e: WatchEvent<{ metadata: { name: string } }>) => `${e.type}:${e.object.metadata.name}`),
      ['ADDED:a', 'MODIFIED:b'],
    );
  });

  it('turns an ERROR event with code 410 into a GoneError', async () => {
    await assert.rejects(firstValueFrom(watch('/gone')), GoneError);
  });

  it('gives up on a watch that goes silent after its headers', async () => {
    await assert.rejects(firstValueFrom(watch('/silent', 200)), WatchStalledError);
  });

  it('gives up on a watch whose request is never answered', async () => {
    await assert.rejects(firstValueFrom(watch('/unanswered', 200)), WatchStalledError);
  });
});
