import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { buildCacheFolder } from '../../../sdk/testing/binaries.ts';
import { waitUntil } from '../../../sdk/testing/index.ts';
import { processesMentioning } from '../../support/processes.ts';

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
    // kube-system is created by the apiserver's system-namespaces controller, which can lag behind
    // readiness on a loaded machine: wait for it rather than read once.
    const core = kc.makeApiClient(CoreV1Api);
    await waitUntil(
      async () => (await core.listNamespace()).items.some((n) => n.metadata?.name === 'kube-system'),
      { what: 'the kube-system namespace of the new cluster', timeoutMs: 30_000 },
    );

    const again = await typerator('cluster', 'up', '--name', 'cli-test');
    assert.match(again.stdout, /is already running/);

    const down = await typerator('cluster', 'down', '--name', 'cli-test');
    assert.match(down.stdout, /cluster "cli-test" stopped/);
    assert.throws(() => process.kill(record.pid, 0), 'the supervisor has exited');
    assert.equal(existsSync(join(cache, 'clusters', 'cli-test')), false);
  });

  it('Ctrl-C during cluster up cancels the start: exit 130, every component ended, the folder gone', async () => {
    const folder = join(cache, 'clusters', 'cli-cancel');
    const up = spawn(process.execPath, [cli, 'cluster', 'up', '--name', 'cli-cancel', '--tier', 'full'], {
      env,
    });
    let stderr = '';
    up.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => up.on('exit', (code) => resolve(code)));
    // Interrupt once the components are starting (etcd is the first to mention the folder).
    await waitUntil(() => processesMentioning(folder).some((line) => /\betcd\b/.test(line)), {
      what: 'etcd of the cluster being started',
      timeoutMs: 30_000,
    });
    up.kill('SIGINT');
    assert.equal(await exited, 130, stderr);
    assert.match(stderr, /SIGINT: cancelling the start of cluster "cli-cancel"/);
    await waitUntil(() => processesMentioning(folder).length === 0, {
      what: 'every process of the cancelled cluster to end',
      timeoutMs: 15_000,
    }).catch(() => assert.fail(`left running:\n${processesMentioning(folder).join('\n')}`));
    await waitUntil(() => !existsSync(folder), { what: 'the folder to be removed', timeoutMs: 5_000 });
  });

  it('rejects a bad --nodes value with a message naming the option', async () => {
    await assert.rejects(typerator('cluster', 'up', '--nodes', 'many'), (error: { stderr?: string }) =>
      /option '--nodes <n>' argument 'many' is invalid/.test(error.stderr ?? ''),
    );
  });
});
