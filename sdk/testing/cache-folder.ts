import { existsSync, mkdirSync, mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { SetupError } from '../errors/setup-error.ts';

/** Typerator's cache folder cannot hold anything: missing parent, a file, /proc, read-only... */
export class CacheFolderError extends SetupError {
  override readonly name = 'CacheFolderError';
}

/** Where Typerator keeps binaries and local clusters, and which setting chose it (for messages). */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): { path: string; chosenBy: string } {
  const explicit = env['TYPERATOR_CACHE'];
  if (explicit) return { path: explicit, chosenBy: `TYPERATOR_CACHE=${explicit}` };
  const base = env['XDG_CACHE_HOME'] || join(env['HOME'] || homedir(), '.cache');
  const path = join(base, 'typerator');
  return { path, chosenBy: `the cache folder ${path} (set TYPERATOR_CACHE to use another)` };
}

/**
 * The cache root, created if missing, once it is known to be a folder this process can write.
 * Missing folders are created one level at a time: Node's recursive mkdir never returns for a path
 * under /proc, which is how `TYPERATOR_CACHE=/proc/x` used to hang.
 */
export function writableCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const { path, chosenBy } = cacheRoot(env);
  try {
    ensureWritableFolder(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CacheFolderError(
      `${chosenBy} is not a writable folder: ${reason}; set TYPERATOR_CACHE to a folder you can write`,
      { cause: error },
    );
  }
  return path;
}

function ensureWritableFolder(path: string): void {
  const missing: string[] = [];
  let existing = resolve(path);
  while (!existsSync(existing)) {
    missing.unshift(existing);
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  if (existsSync(existing) && !statSync(existing).isDirectory())
    throw new Error(`${existing} is a file, not a folder`);
  for (const folder of missing) mkdirSync(folder);
  // Permission bits do not tell for root or read-only mounts: write something.
  rmdirSync(mkdtempSync(join(path, '.write-test-')));
}
