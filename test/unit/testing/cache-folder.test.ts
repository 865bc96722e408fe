import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CacheFolderError, writableCacheRoot } from '../../../sdk/testing/cache-folder.ts';

const work = mkdtempSync(join(tmpdir(), 'typerator-cache-folder-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('writableCacheRoot', () => {
  it('creates a missing TYPERATOR_CACHE folder, parents included', () => {
    const root = join(work, 'a', 'b', 'cache');
    assert.equal(writableCacheRoot({ TYPERATOR_CACHE: root }), root);
    assert.ok(existsSync(root));
  });

  it('defaults to $XDG_CACHE_HOME/typerator, naming TYPERATOR_CACHE as the way to change it', () => {
    const xdg = join(work, 'xdg');
    assert.equal(writableCacheRoot({ XDG_CACHE_HOME: xdg }), join(xdg, 'typerator'));
    writeFileSync(join(work, 'plain-file'), '');
    assert.throws(
      () => writableCacheRoot({ XDG_CACHE_HOME: join(work, 'plain-file') }),
      (error: unknown) =>
        error instanceof CacheFolderError &&
        error.message.startsWith(
          `the cache folder ${join(work, 'plain-file', 'typerator')} (set TYPERATOR_CACHE to use another) ` +
            `is not a writable folder: ${join(work, 'plain-file')} is a file, not a folder`,
        ),
    );
  });

  it('refuses a path under /proc at once instead of hanging in a recursive mkdir', () => {
    assert.throws(
      () => writableCacheRoot({ TYPERATOR_CACHE: '/proc/x' }),
      (error: unknown) =>
        error instanceof CacheFolderError &&
        error.message ===
          "TYPERATOR_CACHE=/proc/x is not a writable folder: ENOENT: no such file or directory, mkdir '/proc/x'; " +
            'set TYPERATOR_CACHE to a folder you can write',
    );
  });
});
