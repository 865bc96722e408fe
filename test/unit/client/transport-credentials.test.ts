import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { KubeConfig, type User } from '@kubernetes/client-node';
import { UnauthorizedError } from '../../../sdk/client/errors.ts';
import { Transport, withFreshCredentials } from '../../../sdk/client/transport.ts';

const EXEC_PLUGIN = fileURLToPath(new URL('../../fixtures/credentials/exec-plugin.ts', import.meta.url));

describe('transport credential refresh on 401', () => {
  /** Bearer tokens the fake apiserver accepts; anything else gets a 401 Status. */
  const valid = new Set<string>();
  const seen: string[] = [];
  let server: Server;
  let url: string;
  let work: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'typerator-transport-credentials-'));
    server = createServer((req, res) => {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      seen.push(token);
      res.setHeader('content-type', 'application/json');
      if (valid.has(token)) {
        res.end(JSON.stringify({ token }));
        return;
      }
      res.statusCode = 401;
      res.end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
    rmSync(work, { recursive: true, force: true });
  });
  beforeEach(() => {
    valid.clear();
    seen.length = 0;
  });

  const kubeConfigFor = (user: User): KubeConfig => {
    const config = new KubeConfig();
    // Plain HTTP on loopback: client-node only allows it with skipTLSVerify.
    config.loadFromClusterAndUser({ name: 'fake', server: url, skipTLSVerify: true }, user);
    return config;
  };
  const whoAmI = async (transport: Transport) =>
    (await transport.request<{ token: string }>({ method: 'GET', path: '/whoami' })).token;

  it('runs the exec plugin again once for a burst of rejected requests', async () => {
    const state = mkdtempSync(join(work, 'exec-'));
    writeFileSync(join(state, 'token'), 'first');
    valid.add('first');
    const transport = await Transport.create(
      kubeConfigFor({
        name: 'exec',
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: process.execPath,
          args: [EXEC_PLUGIN, state],
        },
      }),
    );
    const invocations = () =>
      readFileSync(join(state, 'invocations'), 'utf8').split('\n').filter(Boolean).length;
    try {
      assert.equal(await whoAmI(transport), 'first');
      // The plugin's token is revoked long before its expirationTimestamp.
      valid.clear();
      valid.add('second');
      writeFileSync(join(state, 'token'), 'second');
      const answers = await Promise.all(Array.from({ length: 5 }, () => whoAmI(transport)));
      assert.deepEqual(answers, ['second', 'second', 'second', 'second', 'second']);
      assert.equal(invocations(), 2);
    } finally {
      transport.close();
    }
  });

  it('re-reads a token file at once after a 401', async () => {
    const tokenFile = join(work, 'token');
    writeFileSync(tokenFile, 'old');
    valid.add('old');
    const transport = await Transport.create(
      kubeConfigFor({ name: 'in-cluster', authProvider: { name: 'tokenFile', config: { tokenFile } } }),
    );
    try {
      assert.equal(await whoAmI(transport), 'old');
      valid.clear();
      valid.add('new');
      writeFileSync(tokenFile, 'new');
      assert.equal(await whoAmI(transport), 'new');
    } finally {
      transport.close();
    }
  });

  it('retries a rejected static token once, then throws UnauthorizedError', async () => {
    const transport = await Transport.create(kubeConfigFor({ name: 'static', token: 'nope' }));
    try {
      await assert.rejects(whoAmI(transport), UnauthorizedError);
      assert.deepEqual(seen, ['nope', 'nope']);
    } finally {
      transport.close();
    }
  });

  it('copies the kubeconfig only for exec and token-file users', () => {
    const withToken = kubeConfigFor({ name: 'static', token: 't' });
    assert.equal(withFreshCredentials(withToken), withToken, 'custom authenticators stay');
    const withExec = kubeConfigFor({ name: 'exec', exec: { command: 'true' } });
    const fresh = withFreshCredentials(withExec);
    assert.notEqual(fresh, withExec);
    assert.deepEqual(fresh.getCurrentUser(), withExec.getCurrentUser());
    assert.equal(fresh.getCurrentCluster()?.server, url);
  });
});
