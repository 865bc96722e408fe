// `typerator crd generate`: --max-description-length, typerator.crd.maxDescriptionLength in
// package.json, and the warning about CRDs too big for client-side `kubectl apply`.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { CustomResourceDefinition } from '../../../sdk/crd/index.ts';
import { runProcess, type ProcessResult } from '../../support/run-process.ts';

const cli = fileURLToPath(new URL('../../../bin/typerator.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'typerator-crd-options-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Runs the CLI in `cwd`, the project folder. */
const typerator = (cwd: string, ...args: string[]): Promise<ProcessResult> =>
  runProcess(process.execPath, [cli, ...args], { cwd });

/** A resource whose `note` field has a description of `words` words ("word0 word1 ..."). */
function apiSource(words: number): string {
  const text = Array.from({ length: words }, (_, i) => `word${i}`).join(' ');
  return `/**
 * A Note.
 * @group example.dev
 * @version v1
 */
export interface Note {
  apiVersion: string;
  kind: string;
  spec?: {
    /** ${text} */
    note?: string;
  };
}
`;
}

/** A project folder with this package.json and `api/note.ts`. */
function project(name: string, manifest: unknown, words = 40): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'api'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, 'api/note.ts'), apiSource(words));
  return dir;
}

/** The description of spec.note in the generated CRD file, if it has one. */
function noteDescription(dir: string): string | undefined {
  const crd = parse(
    readFileSync(join(dir, 'crds/notes.example.dev.yaml'), 'utf8'),
  ) as CustomResourceDefinition;
  return crd.spec.versions[0]?.schema.openAPIV3Schema.properties?.['spec']?.properties?.['note']?.description;
}

const generate = (dir: string, ...args: string[]) =>
  typerator(dir, 'crd', 'generate', '--entry', 'api/*.ts', ...args);

describe('typerator crd generate --max-description-length', () => {
  it('cuts descriptions to the given length', async () => {
    const dir = project('flag', {});
    const result = await generate(dir, '--max-description-length', '30');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(noteDescription(dir), 'word0 word1 word2 word3...');
    assert.equal(result.stderr, '');
  });

  it('keeps descriptions whole without a limit, and drops them with 0', async () => {
    const dir = project('zero', {}, 5);
    assert.equal((await generate(dir)).code, 0);
    assert.equal(noteDescription(dir), 'word0 word1 word2 word3 word4');
    assert.equal((await generate(dir, '--max-description-length', '0')).code, 0);
    assert.equal(noteDescription(dir), undefined);
  });

  it('rejects a value that is not a non-negative integer, without a stack trace', async () => {
    const dir = project('bad-flag', {});
    for (const bad of ['-1', '2.5', 'ten']) {
      const result = await generate(dir, '--max-description-length', bad);
      assert.equal(result.code, 1, bad);
      assert.match(
        result.stderr,
        new RegExp(
          `--max-description-length <n>' argument '${bad}' is invalid\\. expected a non-negative integer`,
        ),
      );
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    }
  });
});

describe('typerator.crd.maxDescriptionLength in package.json', () => {
  it('is the default limit; the flag wins over it', async () => {
    const dir = project('config', { typerator: { crd: { maxDescriptionLength: 20 } } });
    assert.equal((await generate(dir)).code, 0);
    assert.equal(noteDescription(dir), 'word0 word1 word2...');
    assert.equal((await generate(dir, '--max-description-length', '30')).code, 0);
    assert.equal(noteDescription(dir), 'word0 word1 word2 word3...');
  });

  it('is read from the nearest package.json at or above --root', async () => {
    const dir = project('nested', { typerator: { crd: { maxDescriptionLength: 20 } } });
    const args = ['crd', 'generate', '--root', join(dir, 'api'), '--entry', '*.ts', '--out', '../crds'];
    const result = await typerator(root, ...args);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(noteDescription(dir), 'word0 word1 word2...');
  });

  it('reports a bad value with the package.json path and the field', async () => {
    for (const [name, crd, shown] of [
      [
        'negative',
        { maxDescriptionLength: -3 },
        'typerator.crd.maxDescriptionLength must be a non-negative integer, got -3',
      ],
      [
        'string',
        { maxDescriptionLength: '150' },
        'typerator.crd.maxDescriptionLength must be a non-negative integer, got "150"',
      ],
      [
        'fraction',
        { maxDescriptionLength: 1.5 },
        'typerator.crd.maxDescriptionLength must be a non-negative integer, got 1.5',
      ],
      ['not-object', 150, 'typerator.crd must be an object'],
    ] as const) {
      const dir = project(`bad-config-${name}`, { typerator: { crd } });
      const result = await generate(dir);
      assert.equal(result.code, 1, name);
      assert.equal(result.stderr, `${join(dir, 'package.json')}: ${shown}\n`);
    }
  });
});

describe('the size warning', () => {
  // About 300 KB of description: more than the 256 KiB kubectl's last-applied annotation may hold.
  const huge = 300_000 / 'wordNNNNN '.length;

  it('names the file and its size, suggests the ways out, and keeps exit code 0', async () => {
    const dir = project('huge', {}, huge);
    const result = await generate(dir);
    assert.equal(result.code, 0, result.stderr);
    const [warning, ...rest] = result.stderr.trimEnd().split('\n');
    assert.deepEqual(rest, []);
    assert.match(
      warning ?? '',
      /^warning: crds\/notes\.example\.dev\.yaml is \d+\.\d KiB as JSON, over the 256 KiB the kubectl\.kubernetes\.io\/last-applied-configuration annotation may hold, so client-side `kubectl apply` will refuse it\./,
    );
    assert.match(warning ?? '', /--max-description-length <n>/);
    assert.match(warning ?? '', /`kubectl apply --server-side` or `kubectl create`/);
    const check = await generate(dir, '--check');
    assert.equal(check.code, 0, 'the warning does not fail --check either');
    assert.match(check.stderr, /^warning: crds\/notes\.example\.dev\.yaml is /);
  });

  it('goes away once descriptions are limited', async () => {
    const dir = project('huge-limited', {}, huge);
    const result = await generate(dir, '--max-description-length', '200');
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
  });
});
