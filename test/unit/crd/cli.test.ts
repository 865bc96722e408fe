// `typerator crd generate` writes, checks (exit 1 on drift) and reports generation errors.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../../bin/typerator.js', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function typerator(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd: repoRoot });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('typerator crd generate', () => {
  const out = mkdtempSync(join(tmpdir(), 'typerator-crd-cli-'));
  after(() => rmSync(out, { recursive: true, force: true }));
  const fixtures = ['--entry', 'test/fixtures/crd/widget.ts', '--entry', 'test/fixtures/crd/gadget.ts'];

  it('writes one file per CRD, then --check passes', async () => {
    const generated = await typerator('crd', 'generate', ...fixtures, '--out', out);
    assert.equal(generated.code, 0, generated.stderr);
    assert.match(generated.stdout, /2 CRD\(s\) generated into .* \(2 written, 0 unchanged\)/);
    assert.deepEqual(readdirSync(out).sort(), [
      'gadgets.fixtures.typerator.dev.yaml',
      'widgets.fixtures.typerator.dev.yaml',
    ]);
    const check = await typerator('crd', 'generate', ...fixtures, '--out', out, '--check');
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /2 CRD file\(s\) in .* are up to date/);
  });

  it('--check exits 1 listing stale, missing and extra files', async () => {
    writeFileSync(join(out, 'widgets.fixtures.typerator.dev.yaml'), 'edited: by hand\n');
    rmSync(join(out, 'gadgets.fixtures.typerator.dev.yaml'));
    writeFileSync(join(out, 'leftover.example.dev.yaml'), 'old: true\n');
    const check = await typerator('crd', 'generate', ...fixtures, '--out', out, '--check');
    assert.equal(check.code, 1);
    assert.match(check.stderr, /stale: +\S*widgets\.fixtures\.typerator\.dev\.yaml/);
    assert.match(check.stderr, /missing: +\S*gadgets\.fixtures\.typerator\.dev\.yaml/);
    assert.match(check.stderr, /extra: +\S*leftover\.example\.dev\.yaml \(no type generates it\)/);
  });

  it('exits 1 with every error and its file:line when the types are invalid', async () => {
    const failed = await typerator(
      'crd',
      'generate',
      '--entry',
      'test/fixtures/crd/invalid/versions.ts',
      '--out',
      out,
    );
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /CRD generation failed with 4 errors:/);
    assert.match(failed.stderr, /test\/fixtures\/crd\/invalid\/versions\.ts:\d+: .*2 marked @storage/);
  });

  it('exits 1 when no file matches the entries', async () => {
    const failed = await typerator('crd', 'generate', '--entry', 'no/such/*.ts', '--out', out);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /no TypeScript file matches the entries \(entries: no\/such\/\*\.ts\)/);
  });
});
