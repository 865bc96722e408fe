import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DevConfigError, loadDevConfig } from '../../../sdk/dev/dev-config.ts';
import { ManifestFileError, readManifests } from '../../../sdk/dev/manifest-files.ts';

const root = mkdtempSync(join(tmpdir(), 'typerator-dev-config-'));
after(() => rmSync(root, { recursive: true, force: true }));

function project(name: string, typerator: unknown, files: Record<string, string> = {}): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, typerator }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

describe('loadDevConfig', () => {
  it('resolves operators, samples and the crds folder against the package.json', () => {
    const dir = project(
      'ok',
      { dev: { operators: ['./src/operator.ts'], samples: ['samples'] } },
      { 'src/operator.ts': '', 'samples/a.yaml': '', 'crds/x.yaml': '' },
    );
    const config = loadDevConfig(join(dir, 'src'));
    assert.deepEqual(config.operators, [join(dir, 'src/operator.ts')]);
    assert.deepEqual(config.samples, [join(dir, 'samples')]);
    assert.equal(config.crds, join(dir, 'crds'));
  });
  it('names the field and the missing path', () => {
    const dir = project('missing', { dev: { operators: ['./src/nope.ts'] } });
    assert.throws(
      () => loadDevConfig(dir),
      (error: unknown) =>
        error instanceof DevConfigError &&
        error.message ===
          `${join(dir, 'package.json')}: typerator.dev.operators: ./src/nope.ts does not exist`,
    );
  });
  it('refuses a list that is not a list of paths', () => {
    const dir = project('bad', { dev: { samples: 'samples' } });
    assert.throws(() => loadDevConfig(dir), /typerator\.dev\.samples must be a list of paths/);
  });
});

describe('readManifests', () => {
  it('reads every document of every YAML file in a folder, with file:line', () => {
    const dir = project('manifests', undefined, {
      'samples/b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n',
      'samples/a.yaml':
        '# two\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a1}\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a2}\n',
      'samples/notes.txt': 'ignored',
    });
    const objects = readManifests([join(dir, 'samples')], dir);
    assert.deepEqual(
      objects.map((o) => [o.source, o.object.metadata?.name]),
      [
        ['samples/a.yaml:2', 'a1'],
        ['samples/a.yaml:7', 'a2'],
        ['samples/b.yaml:1', 'b'],
      ],
    );
  });
  it('names the file and line of an object without a kind', () => {
    const dir = project('no-kind', undefined, {
      'x.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nmetadata: {name: b}\n',
    });
    assert.throws(
      () => readManifests([join(dir, 'x.yaml')], dir),
      (error: unknown) =>
        error instanceof ManifestFileError && error.message === 'x.yaml:5: a Kubernetes object needs kind',
    );
  });
  it('names the file and line of invalid YAML', () => {
    const dir = project('bad-yaml', undefined, { 'x.yaml': 'apiVersion: v1\nkind: [unclosed\n' });
    assert.throws(
      () => readManifests([join(dir, 'x.yaml')], dir),
      /^ManifestFileError: x\.yaml:\d+: not valid YAML/,
    );
  });
});
