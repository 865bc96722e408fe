import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findProjectManifest, ProjectManifestError } from '../../../sdk/cli/project-manifest.ts';

const root = mkdtempSync(join(tmpdir(), 'typerator-manifest-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A project directory with this package.json text and a nested src/deep/ to search from. */
function project(name: string, manifest: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'src/deep'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), manifest);
  return dir;
}

describe('findProjectManifest', () => {
  it('returns the nearest package.json at or above a folder, its name and its "typerator" section', () => {
    const dir = project('ok', JSON.stringify({ name: 'x', typerator: { crd: { maxDescriptionLength: 9 } } }));
    const expected = {
      file: join(dir, 'package.json'),
      packageName: 'x',
      typerator: { crd: { maxDescriptionLength: 9 } },
    };
    assert.deepEqual(findProjectManifest(dir), expected);
    assert.deepEqual(findProjectManifest(join(dir, 'src/deep')), expected);
  });

  it('has an undefined section when package.json has none', () => {
    const dir = project('plain', '{"name":"x"}');
    assert.deepEqual(findProjectManifest(dir), {
      file: join(dir, 'package.json'),
      packageName: 'x',
      typerator: undefined,
    });
  });

  it('names the file that is not valid JSON', () => {
    const dir = project('broken', '{ "typerator": ');
    assert.throws(
      () => findProjectManifest(join(dir, 'src')),
      (error: unknown) => {
        assert.ok(error instanceof ProjectManifestError);
        assert.ok(error.message.startsWith(`${join(dir, 'package.json')}: not valid JSON (`), error.message);
        return true;
      },
    );
  });
});
