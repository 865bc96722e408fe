import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));

// The consumer lives under the repository's node_modules, so the packed package resolves its
// dependencies from there, and Node refuses to strip types: only shipped JavaScript can run.
const consumer = join(root, 'node_modules', `.typerator-package-test-${process.pid}`);
const installed = join(consumer, 'node_modules', 'typerator');

const consumerScript = `
import { Client, Informer, InformerCache, WorkQueue, kinds, listerWatcher } from 'typerator';
import { startControlPlane } from 'typerator/testing';

const plane = await startControlPlane();
try {
  const client = await Client.fromKubeConfig(plane.kubeConfig());
  await client.resource(kinds.ConfigMap).create({ metadata: { name: 'from-package', namespace: 'default' } });
  const cache = new InformerCache(client);
  const informer = cache.informer(kinds.ConfigMap, { namespace: 'default' });
  const standalone = new Informer(listerWatcher(client, kinds.ConfigMap, { namespace: 'default' }));
  cache.start();
  standalone.start();
  await informer.waitForSync(30_000);
  await standalone.waitForSync(30_000);
  const queue = new WorkQueue({ name: 'package-test' });
  for (const key of informer.store.keys()) queue.add(key);
  const first = await queue.get();
  queue.done(first);
  await cache.stop();
  await standalone.stop();
  queue.shutdown();
  client.close();
  console.log(JSON.stringify({ keys: informer.store.keys(), first }));
} finally {
  await plane.stop();
}
`;

const consumerTypes = `
import { Client, kinds, type ResourceClient } from 'typerator';
import type { ControlPlane } from 'typerator/testing';
import type { V1ConfigMap } from '@kubernetes/client-node';

export async function configMaps(plane: ControlPlane): Promise<ResourceClient<V1ConfigMap>> {
  const client = await Client.fromKubeConfig(plane.kubeConfig());
  return client.resource(kinds.ConfigMap);
}
// @ts-expect-error the package's types must reject a wrong call
export const wrong: Promise<Client> = Client.fromKubeConfig('not a kubeconfig');
`;

describe('the npm package', () => {
  let tarball: string;
  const packs = mkdtempSync(join(tmpdir(), 'typerator-pack-'));

  before(async () => {
    const { stdout } = await run(
      process.execPath,
      [join(root, 'scripts', 'build-package.ts'), '--pack', packs],
      {
        cwd: root,
      },
    );
    tarball = stdout.trim().split('\n').at(-1) ?? '';
    mkdirSync(installed, { recursive: true });
    await run('tar', ['-xzf', tarball, '--strip-components=1', '-C', installed]);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module' }));
  });
  after(() => {
    rmSync(consumer, { recursive: true, force: true });
    rmSync(packs, { recursive: true, force: true });
  });

  it('ships JavaScript, declarations and the command, but no TypeScript sources or tests', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.trim().split('\n');
    assert.ok(files.includes('package/sdk/index.js'));
    assert.ok(files.includes('package/sdk/index.d.ts'));
    assert.ok(files.includes('package/bin/typerator.js'));
    assert.ok(files.includes('package/scripts/build-binaries.sh'));
    const sources = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
    assert.deepEqual(sources, [], 'no .ts sources');
    assert.deepEqual(
      files.filter((f) => /^package\/(test|operators|examples)\//.test(f)),
      [],
      'no tests or examples',
    );
  });

  it('runs from node_modules: a control plane, a client, an informer and a work queue', async () => {
    writeFileSync(join(consumer, 'consumer.mjs'), consumerScript);
    const { stdout } = await run(process.execPath, [join(consumer, 'consumer.mjs')], { cwd: consumer });
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { keys: string[]; first: string };
    assert.ok(result.keys.includes('default/from-package'), `store keys: ${result.keys.join(', ')}`);
    assert.ok(result.keys.includes(result.first));
  });

  it("gives TypeScript users the package's types", async () => {
    writeFileSync(join(consumer, 'consumer.ts'), consumerTypes);
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2023',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          skipLibCheck: true, // as most projects do: client-node's own declarations need @types/ws
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    // tsc exits non-zero on type errors and prints them on stdout.
    const result = await run(process.execPath, [tsc, '-p', consumer]).catch((error: unknown) => ({
      stdout: (error as { stdout?: string }).stdout ?? (error as Error).message,
    }));
    assert.equal(result.stdout.trim(), '', 'tsc reports no errors');
  });

  it('installs the typerator command', async () => {
    const { stdout } = await run(process.execPath, [join(installed, 'bin', 'typerator.js'), '--help'], {
      cwd: consumer,
    });
    for (const command of ['cluster', 'crd', 'rbac'])
      assert.match(stdout, new RegExp(`\\n\\s+${command}\\b`));
    assert.doesNotMatch(stdout, /rollout/, "the repository's own plugin command is not part of the package");
  });
});
