import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { buildCacheFolder } from '../../../sdk/testing/binaries.ts';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../../bin/typerator.js', import.meta.url));

describe('typerator cluster up / down', () => {
  const cache = mkdtempSync(join(tmpdir(), 'typerator-cli-'));
  // A private state folder, with the already built binaries offered the way envtest users would.
  const env = { ...process.env, TYPERATOR_CACHE: cache, KUBEBUILDER_ASSETS: buildCacheFolder() };
  const typerator = (...args: string[]) => run(process.execPath, [cli, ...args], { env });
  after(() => {
    rmSync(cache, { recursive: true, force: true });
  });

  it('starts a cluster in the background, prints its kubeconfig, and stops it', async () => {
    const up = await typerator('cluster', 'up', '--name', 'cli-test');
    const kubeconfig = /^export KUBECONFIG=(.+)$/m.exec(up.stdout)?.[1];
    assert.ok(kubeconfig, `no export line in:\n${up.stdout}`);
    const record = JSON.parse(readFileSync(join(cache, 'clusters', 'cli-test', 'cluster.json'), 'utf8')) as {
      pid: number;
    };

    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const namespaces = await kc.makeApiClient(CoreV1Api).listNamespace();
    assert.ok(namespaces.items.some((n) => n.metadata?.name === 'kube-system'));

    const again = await typerator('cluster', 'up', '--name', 'cli-test');
    assert.match(again.stdout, /is already running/);

    const down = await typerator('cluster', 'down', '--name', 'cli-test');
    assert.match(down.stdout, /cluster "cli-test" stopped/);
    assert.throws(() => process.kill(record.pid, 0), 'the supervisor has exited');
    assert.equal(existsSync(join(cache, 'clusters', 'cli-test')), false);
  });

  it('rejects a bad --nodes value with a message naming the option', async () => {
    await assert.rejects(typerator('cluster', 'up', '--nodes', 'many'), (error: { stderr?: string }) =>
      /option '--nodes <n>' argument 'many' is invalid/.test(error.stderr ?? ''),
    );
  });
});
