// Every shell block of the README runs here, as a reader would type it: in a copy of this
// repository (so `../my-operator` and generated files land in a temporary folder), with the
// system's own PATH (no node_modules/.bin), a cache folder of its own and the already built
// Kubernetes binaries. The lines CI runs itself (`npm ci`, `npm test`, `npm run lint`) must be in
// .ci/run. A block this test does not know fails it, so a new README command needs a runner here.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { resolveBinary, waitUntil } from '../../../sdk/testing/index.ts';
import { runProcess } from '../../support/run-process.ts';

const repository = fileURLToPath(new URL('../../../', import.meta.url));

/** The ```sh blocks of a Markdown text, each with the line it starts on. */
function shellBlocks(markdown: string): { line: number; text: string }[] {
  const blocks: { line: number; text: string }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== '```sh') continue;
    const start = i + 1;
    while (i + 1 < lines.length && lines[i + 1]?.trim() !== '```') i++;
    blocks.push({ line: start, text: lines.slice(start, i + 1).join('\n') });
    i++;
  }
  return blocks;
}

/** The commands of a block: comments dropped, continuations joined, `a && b` split. */
function commandsOf(block: string): string[] {
  return block
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .flatMap((line) => line.split(' && ').map((part) => part.trim()));
}

type Phase = 'ci' | 'beside-npm-start' | 'alone';

/** How each README block is exercised, keyed by its first command. */
const runners: { readonly first: RegExp; readonly phase: Phase }[] = [
  { first: /^npm ci$/, phase: 'ci' }, // npm ci && npm test, then npm start: started below
  { first: /^eval "\$\(npx typerator env\)"$/, phase: 'beside-npm-start' },
  { first: /^npx typerator cluster up /, phase: 'alone' },
  { first: /^npm run build:package -- --pack out\/$/, phase: 'alone' },
  { first: /^npx typerator crd generate$/, phase: 'beside-npm-start' },
  { first: /^helm install /, phase: 'beside-npm-start' },
  { first: /^npm run build:package$/, phase: 'alone' },
  { first: /^npm run image$/, phase: 'alone' },
  { first: /^npm test$/, phase: 'ci' },
];

const blocks = shellBlocks(readFileSync(join(repository, 'README.md'), 'utf8'));
const phaseOf = (block: { text: string }): Phase | undefined =>
  runners.find(({ first }) => first.test(commandsOf(block.text)[0] ?? ''))?.phase;

describe('README shell blocks', () => {
  let root: string;
  let copy: string;
  let env: NodeJS.ProcessEnv;

  /** Runs a block with bash, stopping at the first failing command. */
  async function run(text: string, cwd = copy): Promise<string> {
    const result = await runProcess('bash', ['-euo', 'pipefail', '-c', text], {
      cwd,
      env,
      timeoutMs: 300_000,
    });
    assert.equal(
      result.code,
      0,
      `README block failed:\n${text}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
    return result.stdout + result.stderr;
  }

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'typerator-readme-'));
    copy = join(root, 'typerator');
    mkdirSync(copy);
    // The files a clone has (plus uncommitted ones), links kept, with the installed dependencies.
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: repository });
    execFileSync('bash', ['-c', `tar --null -T - -cf - | tar -xf - -C '${copy}'`], {
      cwd: repository,
      input: files,
    });
    symlinkSync(join(repository, 'node_modules'), join(copy, 'node_modules'));
    const binaries = dirname(resolveBinary('kube-apiserver'));
    env = {
      ...process.env,
      // A reader's shell: no node_modules/.bin of npm's (the system Node, as old as it may be).
      PATH: (process.env['PATH'] ?? '')
        .split(delimiter)
        .filter((entry) => !entry.includes('node_modules'))
        .join(delimiter),
      TYPERATOR_CACHE: join(root, 'cache'),
      KUBEBUILDER_ASSETS: binaries,
    };
    // Not a child of this test run: a nested `node --test` would otherwise report to it and run nothing.
    delete env['NODE_TEST_CONTEXT'];
    delete env['KUBECONFIG'];
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('knows how to run every block', () => {
    const unknown = blocks.filter((block) => phaseOf(block) === undefined);
    assert.deepEqual(
      unknown.map((block) => `README.md:${block.line}: ${block.text}`),
      [],
      'a README shell block no test runs: add a runner for it in test/integration/readme/readme-blocks.test.ts',
    );
  });

  it('CI runs the README commands it does not run here', () => {
    const ci = readFileSync(join(repository, '.ci', 'run'), 'utf8')
      .split('\n')
      .map((line) => line.replace(/\s+#.*$/, '').trim());
    for (const block of blocks.filter((b) => phaseOf(b) === 'ci'))
      for (const command of commandsOf(block.text).filter((c) => c !== 'npm start'))
        assert.ok(ci.includes(command), `.ci/run does not run \`${command}\` (README.md:${block.line})`);
  });

  it('npm start runs the dev loop, and the blocks meant for beside it work against it', async () => {
    const start = blocks.find((block) => commandsOf(block.text).includes('npm start'));
    assert.ok(start, 'the README shows npm start');
    const dev = spawn('npm', ['start'], { cwd: copy, env, detached: true, stdio: 'pipe' });
    let output = '';
    dev.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    dev.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // How the shell would report it: the exit code, or 128 + the signal's number.
    const exited = new Promise<number>((resolve) =>
      dev.on('close', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0))),
    );
    try {
      await waitUntil(() => (output.match(/^\S+ ready /gm) ?? []).length >= 4, {
        what: `npm start to show the four samples ready (output so far:\n${output})`,
        timeoutMs: 240_000,
      });
      for (const block of blocks.filter((b) => phaseOf(b) === 'beside-npm-start')) {
        // The reader has run `eval "$(npx typerator env)"` in this shell already (the block above).
        const shown = await run(`eval "$(npx typerator env)"\n${block.text}`);
        if (block.text.includes('kubectl get tdeploy'))
          assert.match(shown, /deployment\.apps\.typerator\.dev\/web/);
        if (block.text.includes('rollout status')) assert.match(shown, /successfully rolled out/);
        if (block.text.includes('helm install')) assert.match(shown, /STATUS: deployed/);
      }
      assert.equal(dev.exitCode, null, `npm start ended early:\n${output}`);
      // Ctrl-C in the terminal reaches npm and the command it runs: typerator dev stops everything
      // and exits 0; npm, interrupted itself, ends by the signal (130 in the shell).
      process.kill(-(dev.pid ?? 0), 'SIGINT');
      const code = await exited;
      assert.ok(code === 0 || code === 130, `exit ${code}\n${output}`);
      assert.match(output, /stopping the operators and the cluster/);
      assert.equal(existsSync(join(root, 'cache', 'clusters', 'dev')), false, 'the dev cluster is gone');
    } finally {
      if (dev.exitCode === null && dev.signalCode === null) process.kill(-(dev.pid ?? 0), 'SIGKILL');
    }
  });

  it('the blocks that stand alone run as written', async () => {
    for (const block of blocks.filter((b) => phaseOf(b) === 'alone')) {
      const shown = await run(block.text);
      if (block.text.includes('cluster up')) assert.match(shown, /cluster "default" stopped/);
      if (block.text.includes('create api Gadget')) assert.match(shown, /Gadget/);
      if (block.text.includes('npm run image')) assert.match(shown, /^localhost\/typerator\/operators:\S+$/m);
    }
  });
});
