// Builds the publishable npm package into dist/package: the SDK compiled to JavaScript with type
// declarations, the `typerator` command, the binary build script and a package.json whose exports
// point at the JavaScript. Node strips types only outside node_modules, so an installed package
// must ship JavaScript; inside this repository everything runs from the TypeScript sources.
// Usage: node scripts/build-package.ts [--pack <folder>] [--out <folder>]
//   --pack also writes the .tgz there; --out builds elsewhere than dist/package, so that tests
//   packing at the same time do not build into one folder.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder given after `flag` on the command line, if the flag is there. */
function folderOption(flag: string): string | undefined {
  const index = process.argv.indexOf(flag);
  if (index < 0) return undefined;
  const value = process.argv[index + 1];
  if (!value) throw new Error(`${flag} needs a folder`);
  return resolve(value);
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = folderOption('--out') ?? join(root, 'dist', 'package');

interface Manifest {
  name: string;
  version: string;
  description: string;
  license: string;
  engines: Record<string, string>;
  exports: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional: boolean }>;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Declarations keep the `.ts` specifiers of the sources; installed, those files are `.js`. */
function rewriteDeclarationImports(dir: string): void {
  for (const file of filesUnder(dir).filter((f) => f.endsWith('.d.ts'))) {
    const text = readFileSync(file, 'utf8');
    const rewritten = text.replace(/((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+)\.ts(['"])/g, '$1$2.js$3');
    if (rewritten !== text) writeFileSync(file, rewritten);
  }
}

/** `./sdk/x/index.ts` → `{ types: ./sdk/x/index.d.ts, default: ./sdk/x/index.js }`. */
function compiledExports(sourceExports: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(sourceExports).map(([subpath, source]) => {
      if (!source.endsWith('.ts')) throw new Error(`package.json exports["${subpath}"]: expected a .ts path`);
      const base = source.slice(0, -'.ts'.length);
      return [subpath, { types: `${base}.d.ts`, default: `${base}.js` }];
    }),
  );
}

rmSync(out, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', out],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
rewriteDeclarationImports(join(out, 'sdk'));

mkdirSync(join(out, 'bin'), { recursive: true });
writeFileSync(
  join(out, 'bin', 'typerator.js'),
  "#!/usr/bin/env node\n// The `typerator` command (compiled package).\nawait import('../sdk/cli/main.js');\n",
);
chmodSync(join(out, 'bin', 'typerator.js'), 0o755);
mkdirSync(join(out, 'scripts'), { recursive: true });
copyFileSync(join(root, 'scripts', 'build-binaries.sh'), join(out, 'scripts', 'build-binaries.sh'));
copyFileSync(join(root, 'README.md'), join(out, 'README.md'));

const source = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const manifest = {
  name: source.name,
  version: source.version,
  description: source.description,
  type: 'module',
  license: source.license,
  engines: source.engines,
  bin: { typerator: 'bin/typerator.js' },
  exports: compiledExports(source.exports),
  dependencies: source.dependencies,
  // Only typerator/testing's container helpers load them, and only when called.
  peerDependencies: source.peerDependencies,
  peerDependenciesMeta: source.peerDependenciesMeta,
  // Installing ignores them; `typerator init` pins a new project's Node, TypeScript and @types/node to them.
  devDependencies: source.devDependencies,
};
writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

// Absolute: npm pack runs in the package folder, where a relative destination would land.
const destination = folderOption('--pack');
if (destination !== undefined) {
  mkdirSync(destination, { recursive: true });
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', destination], {
    cwd: out,
    encoding: 'utf8',
  }).trim();
  process.stdout.write(`${join(destination, tarball.split('\n').at(-1) ?? '')}\n`);
} else {
  process.stdout.write(`built ${relative(root, out)}\n`);
}
