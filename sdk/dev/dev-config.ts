import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { findProjectManifest } from '../cli/project-manifest.ts';
import { projectOperators } from '../cli/project-operators.ts';

/** A project's `"typerator": { "dev": { ... } }` section is malformed; the message names the field. */
export class DevConfigError extends Error {
  override readonly name = 'DevConfigError';
}

/** What `typerator dev` runs, resolved to absolute paths. */
export interface DevConfig {
  /** The package.json the configuration came from (undefined: none found, defaults used). */
  readonly manifestFile: string | undefined;
  /** Modules exporting `setup(manager)`, run together on one manager. */
  readonly operators: readonly string[];
  /** YAML files or folders of them, applied once the operators run. */
  readonly samples: readonly string[];
  /** The folder of generated CRDs, installed first. */
  readonly crds: string | undefined;
}

function stringList(value: unknown, field: string, file: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string'))
    throw new DevConfigError(`${file}: typerator.dev.${field} must be a list of paths`);
  return value as string[];
}

/**
 * Reads the nearest package.json's `typerator.dev` section:
 * `{ "operators": ["./src/operator.ts"], "samples": ["samples"], "crds": "crds" }`.
 * Paths are relative to that package.json; `crds` defaults to its `crds/` folder when present, and
 * `operators` to the modules of the project's `typerator.operators` (what `typerator run` runs).
 */
export function loadDevConfig(cwd: string): DevConfig {
  const manifest = findProjectManifest(cwd);
  if (!manifest) return { manifestFile: undefined, operators: [], samples: [], crds: undefined };
  const root = dirname(manifest.file);
  const section: unknown = (manifest.typerator as { dev?: unknown } | undefined)?.dev ?? {};
  if (typeof section !== 'object' || section === null || Array.isArray(section))
    throw new DevConfigError(`${manifest.file}: typerator.dev must be an object`);
  const dev = section as Record<string, unknown>;
  const within = (path: string, field: string): string => {
    const absolute = resolve(root, path);
    if (!existsSync(absolute))
      throw new DevConfigError(`${manifest.file}: typerator.dev.${field}: ${path} does not exist`);
    return absolute;
  };
  if (dev['crds'] !== undefined && typeof dev['crds'] !== 'string')
    throw new DevConfigError(`${manifest.file}: typerator.dev.crds must be a folder path`);
  const crds =
    typeof dev['crds'] === 'string'
      ? within(dev['crds'], 'crds')
      : existsSync(resolve(root, 'crds'))
        ? resolve(root, 'crds')
        : undefined;
  return {
    manifestFile: manifest.file,
    operators:
      dev['operators'] === undefined
        ? projectOperators(manifest).map((operator) => operator.module)
        : stringList(dev['operators'], 'operators', manifest.file).map((p) => within(p, 'operators')),
    samples: stringList(dev['samples'], 'samples', manifest.file).map((p) => within(p, 'samples')),
    crds,
  };
}
