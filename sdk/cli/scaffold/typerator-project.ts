import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { findProjectManifest } from '../project-manifest.ts';
import { ScaffoldError } from './scaffold-error.ts';

/** A project that depends on Typerator, as `typerator create api` needs it. */
export interface TyperatorProject {
  /** The folder of its package.json. */
  readonly root: string;
  /** The package name. */
  readonly name: string;
}

interface Manifest {
  readonly name?: unknown;
  readonly dependencies?: Record<string, unknown>;
  readonly devDependencies?: Record<string, unknown>;
}

/** The nearest package.json at or above `cwd`, if it depends on typerator; refuses otherwise. */
export function findTyperatorProject(cwd: string): TyperatorProject {
  const found = findProjectManifest(cwd);
  const hint = 'run it inside a project made by `typerator init`';
  if (!found) throw new ScaffoldError(`not a Typerator project: no package.json in ${cwd} or above; ${hint}`);
  const manifest = JSON.parse(readFileSync(found.file, 'utf8')) as Manifest;
  const dependsOnTyperator =
    manifest.dependencies?.['typerator'] !== undefined ||
    manifest.devDependencies?.['typerator'] !== undefined;
  if (!dependsOnTyperator)
    throw new ScaffoldError(`not a Typerator project: ${found.file} does not depend on typerator; ${hint}`);
  const root = dirname(found.file);
  const name = typeof manifest.name === 'string' ? manifest.name : '';
  return { root, name };
}
