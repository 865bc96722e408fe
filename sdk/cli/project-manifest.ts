import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The nearest package.json is not valid JSON; the message names the file. */
export class ProjectManifestError extends Error {
  override readonly name = 'ProjectManifestError';
}

/** The nearest package.json and its `"typerator"` section (undefined when it has none). */
export interface ProjectManifest {
  /** Absolute path of the package.json, for error messages. */
  readonly file: string;
  /** Its `name`, when it is a string. */
  readonly packageName?: string;
  readonly typerator: unknown;
}

/**
 * Reads the nearest package.json at or above `from`, where a project configures typerator under
 * the `"typerator"` key. Undefined when no folder up to the root has one.
 */
export function findProjectManifest(from: string): ProjectManifest | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return { file, ...readManifest(file) };
    if (dirname(dir) === dir) return undefined;
  }
}

function readManifest(file: string): { packageName?: string; typerator: unknown } {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ProjectManifestError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const { name, typerator } = (manifest ?? {}) as { name?: unknown; typerator?: unknown };
  return { ...(typeof name === 'string' ? { packageName: name } : {}), typerator };
}
