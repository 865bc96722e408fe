import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../../../sdk/clock/clock.ts';
import { ExecPluginError } from '../../../sdk/client/kubeconfig/exec-plugin-error.ts';
import { ExecPlugin } from '../../../sdk/client/kubeconfig/exec-plugin.ts';
import type { ExecConfig } from '../../../sdk/client/kubeconfig/kubeconfig.ts';
import { NativeCredentials } from '../../../sdk/client/kubeconfig/native-credentials.ts';

const EXEC_PLUGIN = fileURLToPath(new URL('../../fixtures/credentials/exec-plugin.ts', import.meta.url));
const V1 = 'client.authentication.k8s.io/v1';
const work = mkdtempSync(join(tmpdir(), 'typerator-exec-plugin-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A clock the test moves by hand; ExecPlugin only reads now(). */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = Date.now();
  return {
    now: () => now,
    advance: (ms) => (now += ms),
    setTimer: () => ({ cancel: () => undefined }),
    sleep: () => Promise.resolve(),
  };
}

/** A plugin printing `status` (JSON) from an inline script; `KUBERNETES_EXEC_INFO` is in its env. */
function inlinePlugin(script: string, extra: Partial<ExecConfig> = {}): ExecConfig {
  return { apiVersion: V1, command: process.execPath, args: ['-e', script], ...extra };
}

describe('ExecPlugin', () => {
  it('caches the credential until status.expirationTimestamp, and runs again after invalidate', async () => {
    const state = mkdtempSync(join(work, 'state-'));
    writeFileSync(join(state, 'token'), 'one');
    writeFileSync(join(state, 'expires-in-seconds'), '60');
    const clock = manualClock();
    const plugin = new ExecPlugin(
      { apiVersion: V1, command: process.execPath, args: [EXEC_PLUGIN, state] },
      undefined,
      clock,
    );
    const runs = () => readFileSync(join(state, 'invocations'), 'utf8').split('\n').filter(Boolean).length;

    const together = await Promise.all([plugin.credential(), plugin.credential(), plugin.credential()]);
    assert.deepEqual(
      together.map((status) => status.token),
      ['one', 'one', 'one'],
    );
    assert.equal(runs(), 1, 'concurrent callers share one run');
    writeFileSync(join(state, 'token'), 'two');
    clock.advance(59_000);
    assert.equal((await plugin.credential()).token, 'one', 'still valid');
    assert.equal(runs(), 1);
    clock.advance(2_000);
    assert.equal((await plugin.credential()).token, 'two', 'expired: run again');
    assert.equal(runs(), 2);
    plugin.invalidate();
    assert.equal((await plugin.credential()).token, 'two');
    assert.equal(runs(), 3);
  });

  it('passes env, and the cluster in KUBERNETES_EXEC_INFO only with provideClusterInfo', async () => {
    const echo = `process.stdout.write(JSON.stringify({ apiVersion: '${V1}', kind: 'ExecCredential',
      status: { token: process.env.KUBERNETES_EXEC_INFO + '|' + process.env.EXTRA } }))`;
    const cluster = {
      name: 'c',
      server: 'https://c:6443',
      certificateAuthorityData: Buffer.from('CA PEM').toString('base64'),
      tlsServerName: 'kubernetes',
      execExtension: { audience: 'x' },
    };
    const credentials = new NativeCredentials(cluster, {
      name: 'u',
      exec: inlinePlugin(echo, { provideClusterInfo: true, env: [{ name: 'EXTRA', value: 'yes' }] }),
    });
    const header = String((await credentials.resolve(false)).headers['authorization']);
    const [info, extra] = header.replace(/^Bearer /, '').split('|');
    assert.equal(extra, 'yes');
    assert.deepEqual(JSON.parse(info ?? ''), {
      apiVersion: V1,
      kind: 'ExecCredential',
      spec: {
        interactive: false,
        cluster: {
          server: 'https://c:6443',
          'tls-server-name': 'kubernetes',
          'certificate-authority-data': cluster.certificateAuthorityData,
          config: { audience: 'x' },
        },
      },
    });
    const withoutInfo = new NativeCredentials(cluster, { name: 'u', exec: inlinePlugin(echo) });
    const plain = String((await withoutInfo.resolve(false)).headers['authorization']);
    assert.deepEqual(JSON.parse(plain.replace(/^Bearer /, '').split('|')[0] ?? ''), {
      apiVersion: V1,
      kind: 'ExecCredential',
      spec: { interactive: false },
    });
  });

  it('uses a client certificate and key from the plugin for TLS', async () => {
    const script = `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential', status: { clientCertificateData: 'CERT', clientKeyData: 'KEY' } }))`;
    const credentials = new NativeCredentials(
      { name: 'c', server: 'https://c:6443' },
      { name: 'u', exec: inlinePlugin(script, { apiVersion: 'client.authentication.k8s.io/v1beta1' }) },
    );
    const { tls, headers } = await credentials.resolve(false);
    assert.equal(tls.cert?.toString(), 'CERT');
    assert.equal(tls.key?.toString(), 'KEY');
    assert.deepEqual(headers, {});
  });

  it('stops a plugin that does not finish in time, and says so', async () => {
    const plugin = new ExecPlugin(
      inlinePlugin('process.stderr.write("open this URL to log in\\n"); setInterval(() => {}, 1000)'),
      undefined,
      manualClock(),
      process.env,
      300,
    );
    await assert.rejects(
      plugin.credential(),
      (error: unknown) =>
        error instanceof ExecPluginError &&
        /did not finish within 0\.3 s and was stopped: open this URL to log in/.test(error.message),
    );
  });

  it('names what is wrong with a plugin', async () => {
    const refuses = (config: ExecConfig, message: RegExp) =>
      assert.rejects(new ExecPlugin(config, undefined).credential(), (error: unknown) => {
        assert.ok(error instanceof ExecPluginError, String(error));
        assert.match(error.message, message);
        return true;
      });
    await refuses(
      { apiVersion: V1, command: join(work, 'no-such-plugin'), installHint: 'install it with brew' },
      /^exec plugin ".*no-such-plugin" was not found \(is it installed and on PATH\?\): install it with brew$/,
    );
    await refuses(
      inlinePlugin('process.stderr.write("login expired\\n"); process.exit(3)'),
      /exited with code 3: login expired$/,
    );
    await refuses(inlinePlugin('process.stdout.write("hello")'), /printed no ExecCredential JSON/);
    await refuses(
      inlinePlugin(
        `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: 't' } }))`,
      ),
      /expected ExecCredential client\.authentication\.k8s\.io\/v1$/,
    );
    await refuses(
      inlinePlugin(
        `process.stdout.write(JSON.stringify({ apiVersion: '${V1}', kind: 'ExecCredential', status: {} }))`,
      ),
      /returned neither status\.token nor status\.clientCertificateData and clientKeyData/,
    );
    await refuses(
      { apiVersion: 'client.authentication.k8s.io/v1alpha1', command: 'true' },
      /apiVersion "client\.authentication\.k8s\.io\/v1alpha1", which is not supported/,
    );
    await refuses(
      { apiVersion: V1, command: 'true', interactiveMode: 'Always' },
      /interactiveMode Always, but this process has no terminal/,
    );
  });
});
