import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runProcess, type ProcessResult } from '../../support/run-process.ts';

// `typerator init` and `typerator create api` as a user runs them, without npm or a cluster.
const cli = fileURLToPath(new URL('../../../bin/typerator.js', import.meta.url));
const repoManifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const folder = mkdtempSync(join(tmpdir(), 'typerator-scaffold-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const typerator = (cwd: string, ...args: string[]) => runProcess(process.execPath, [cli, ...args], { cwd });

/** A refusal: exit code 1 and a single line on stderr, without a stack trace. */
function assertRefused(result: ProcessResult, message: RegExp): void {
  assert.equal(result.code, 1, result.stderr);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line: ${result.stderr}`);
  assert.match(lines[0] ?? '', /^typerator: /);
  assert.match(lines[0] ?? '', message);
}

describe('typerator init', () => {
  it('writes a project that depends on this Typerator and pins its Node, TypeScript and client-node', async () => {
    const result = await typerator(
      folder,
      'init',
      'shop-operator',
      '--kind',
      'Order',
      '--group',
      'shop.example.org',
    );
    assert.equal(result.code, 0, result.stderr);
    const root = join(folder, 'shop-operator');
    for (const file of [
      'src/api/order.ts',
      'src/controllers/order-controller.ts',
      'src/webhooks/order-webhooks.ts',
      'src/operator.ts',
      'src/main.ts',
      'test/order-controller.test.ts',
      'samples/order.yaml',
      'chart/templates/deployment.yaml',
      'tsconfig.json',
      '.gitignore',
      'README.md',
    ])
      assert.ok(existsSync(join(root, file)), file);
    assert.equal(readlinkSync(join(root, 'chart/crds')), '../crds');
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, never>;
    assert.equal(manifest['name'], 'shop-operator');
    assert.equal(manifest['type'], 'module');
    assert.deepEqual(manifest['dependencies'], {
      '@kubernetes/client-node': repoManifest.dependencies['@kubernetes/client-node'],
      typerator: `^${repoManifest.version}`,
    });
    assert.deepEqual(manifest['devDependencies'], {
      '@types/node': repoManifest.devDependencies['@types/node'],
      node: repoManifest.devDependencies['node'],
      typescript: repoManifest.devDependencies['typescript'],
    });
    assert.deepEqual(manifest['allowScripts'], { node: true });
    assert.deepEqual(manifest['typerator'], {
      operators: { 'shop-operator': './src/operator.ts' },
      dev: { samples: ['samples'] },
    });
    assert.match(readFileSync(join(root, 'src/api/order.ts'), 'utf8'), /@group shop\.example\.org\n/);
    assert.match(
      readFileSync(join(root, 'samples/order.yaml'), 'utf8'),
      /^apiVersion: shop\.example\.org\/v1\nkind: Order\n/,
    );
  });

  it('refuses a folder that is not empty, naming it', async () => {
    const occupied = join(folder, 'occupied');
    mkdirSync(occupied);
    writeFileSync(join(occupied, 'notes.txt'), 'mine');
    assertRefused(await typerator(folder, 'init', 'occupied'), /\/occupied exists and is not empty/);
    assert.deepEqual(readFileSync(join(occupied, 'notes.txt'), 'utf8'), 'mine');
  });

  it('refuses a kind that is not PascalCase and a folder name that cannot name a project, writing nothing', async () => {
    assertRefused(
      await typerator(folder, 'init', 'lower', '--kind', 'widget'),
      /"widget" is not a valid kind/,
    );
    assertRefused(await typerator(folder, 'init', 'Bad_Name'), /"Bad_Name" cannot name a project/);
    assert.equal(existsSync(join(folder, 'lower')), false);
    assert.equal(existsSync(join(folder, 'Bad_Name')), false);
  });
});

describe('typerator create api', () => {
  it('adds the types, a controller registered in operator.ts and a sample, in the group already used', async () => {
    const root = join(folder, 'gadgets');
    assert.equal((await typerator(folder, 'init', 'gadgets')).code, 0);
    const result = await typerator(join(root, 'src'), 'create', 'api', 'PowerTool');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /created src\/api\/power-tool\.ts/);
    assert.match(result.stdout, /updated src\/operator\.ts/);
    assert.match(readFileSync(join(root, 'src/api/power-tool.ts'), 'utf8'), /@group gadgets\.example\.com\n/);
    assert.match(
      readFileSync(join(root, 'src/operator.ts'), 'utf8'),
      /\n {2}setupPowerToolController\(manager\);\n/,
    );
    assert.ok(existsSync(join(root, 'src/controllers/power-tool-controller.ts')));
    assert.ok(existsSync(join(root, 'samples/power-tool.yaml')));
  });

  it('prints the lines to add when operator.ts has lost its markers', async () => {
    const root = join(folder, 'edited');
    assert.equal((await typerator(folder, 'init', 'edited')).code, 0);
    const operator = join(root, 'src/operator.ts');
    const rewritten = readFileSync(operator, 'utf8').replace(/^.*typerator:scaffold:.*\n/gm, '');
    writeFileSync(operator, rewritten);
    const result = await typerator(root, 'create', 'api', 'Gadget');
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /import \{ setupGadgetController \} from '\.\/controllers\/gadget-controller\.ts';/,
    );
    assert.match(result.stdout, /\n {2}setupGadgetController\(manager\);\n/);
    assert.equal(readFileSync(operator, 'utf8'), rewritten);
  });

  it('refuses a kind the project has, a kind that is not PascalCase, and a folder that is no Typerator project', async () => {
    const root = join(folder, 'refusals');
    assert.equal((await typerator(folder, 'init', 'refusals')).code, 0);
    assertRefused(
      await typerator(root, 'create', 'api', 'Widget'),
      /kind Widget already exists in .*src\/api\/widget\.ts/,
    );
    assertRefused(
      await typerator(root, 'create', 'api', 'gadget'),
      /"gadget" is not a valid kind: write it in PascalCase/,
    );
    const plain = join(folder, 'plain');
    mkdirSync(plain);
    writeFileSync(join(plain, 'package.json'), JSON.stringify({ name: 'plain' }));
    assertRefused(
      await typerator(plain, 'create', 'api', 'Gadget'),
      /not a Typerator project: .*plain\/package\.json does not depend on typerator/,
    );
    assert.equal(existsSync(join(plain, 'src')), false);
  });
});
