import { readFileSync } from 'node:fs';
import { ScaffoldError } from './scaffold-error.ts';

/** The versions a new project pins so that it builds and runs like the Typerator creating it. */
export interface TyperatorVersions {
  /** Typerator's own version. */
  readonly typerator: string;
  /** Typerator's `engines.node`. */
  readonly nodeEngine: string;
  /** The Node.js, TypeScript, @types/node and client-node versions Typerator pins. */
  readonly node: string;
  readonly typescript: string;
  readonly typesNode: string;
  readonly clientNode: string;
}

interface Manifest {
  readonly version?: unknown;
  readonly engines?: Record<string, unknown>;
  readonly dependencies?: Record<string, unknown>;
  readonly devDependencies?: Record<string, unknown>;
}

// The same relative path from the sources (sdk/cli/scaffold/*.ts) and from the built package
// (sdk/cli/scaffold/*.js next to its package.json), which keeps devDependencies for this reason.
const ownManifest = new URL('../../../package.json', import.meta.url);

function pinned(manifest: Manifest, field: 'dependencies' | 'devDependencies', name: string): string {
  const value = manifest[field]?.[name];
  if (typeof value !== 'string')
    throw new ScaffoldError(`Typerator's package.json (${ownManifest.pathname}) has no ${field}["${name}"]`);
  return value;
}

/** Reads the versions from the running Typerator's package.json. */
export function typeratorVersions(): TyperatorVersions {
  const manifest = JSON.parse(readFileSync(ownManifest, 'utf8')) as Manifest;
  if (typeof manifest.version !== 'string')
    throw new ScaffoldError(`Typerator's package.json (${ownManifest.pathname}) has no version`);
  const nodeEngine = manifest.engines?.['node'];
  return {
    typerator: manifest.version,
    nodeEngine: typeof nodeEngine === 'string' ? nodeEngine : '>=22.19',
    node: pinned(manifest, 'devDependencies', 'node'),
    typescript: pinned(manifest, 'devDependencies', 'typescript'),
    typesNode: pinned(manifest, 'devDependencies', '@types/node'),
    clientNode: pinned(manifest, 'dependencies', '@kubernetes/client-node'),
  };
}
