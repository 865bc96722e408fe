import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writableCacheRoot } from './cache-folder.ts';
import { BinaryNotFoundError } from './errors.ts';

/** The upstream programs a control plane (and the tests around it) may run. */
export type ComponentBinary =
  | 'etcd'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kubectl'
  | 'kwok'
  | 'helm'
  | 'prometheus';

const buildScript = fileURLToPath(new URL('../../scripts/build-binaries.sh', import.meta.url));

let cachedBuildFolder: string | undefined;

/**
 * The versioned cache folder `scripts/build-binaries.sh` builds into (it owns the layout); a
 * CacheFolderError if the cache root (TYPERATOR_CACHE...) is not a writable folder.
 */
export function buildCacheFolder(): string {
  if (cachedBuildFolder === undefined) {
    writableCacheRoot();
    cachedBuildFolder = execFileSync('bash', [buildScript, '--print'], { encoding: 'utf8' }).trim();
  }
  return cachedBuildFolder;
}

/** Builds whatever binaries are missing (idempotent; seconds when the cache is warm). */
export function ensureBinaries(): void {
  writableCacheRoot();
  execFileSync('bash', [buildScript], { stdio: ['ignore', 'ignore', 'inherit'] });
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds a binary the way envtest does: `TEST_ASSET_<NAME>` first, then `KUBEBUILDER_ASSETS`,
 * then Typerator's own build cache.
 */
export function resolveBinary(binary: ComponentBinary): string {
  const candidates: string[] = [];
  const perBinary = process.env[`TEST_ASSET_${binary.toUpperCase().replaceAll('-', '_')}`];
  if (perBinary) candidates.push(perBinary);
  const assets = process.env['KUBEBUILDER_ASSETS'];
  if (assets) candidates.push(join(assets, binary));
  const supplied = candidates.find(isExecutable);
  if (supplied) return supplied;
  // Only now the build cache, so binaries supplied by the user work whatever TYPERATOR_CACHE says.
  candidates.push(join(buildCacheFolder(), binary));
  const found = candidates.find(isExecutable);
  if (!found) throw new BinaryNotFoundError(binary, candidates);
  return found;
}
