// The /app folder of the operator image: the packed Typerator package (as `npm pack` makes it), the
// example operators compiled to JavaScript beside its sdk/ (they import the SDK by relative paths),
// and the production dependencies pinned by package-lock.json. Files no process ever loads
// (TypeScript sources and declarations, source maps, docs) are left out of node_modules: Node
// strips types only outside node_modules, so a .ts file there could never run anyway.
// Usage: node scripts/image/stage-app.ts <output folder>
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTypeScript } from '../compile-typescript.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Never loaded at run time: removing them only makes the image smaller. */
const UNUSED_FILE =
  /(\.d\.[cm]?ts|\.d\.ts\.map|\.[cm]?ts|\.map|\.md|\.markdown|LICENSE\.txt~|\.tsbuildinfo)$/i;

function removeUnusedFiles(folder: string): number {
  let removed = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && UNUSED_FILE.test(entry.name)) {
      rmSync(join(entry.parentPath, entry.name));
      removed += 1;
    }
  }
  return removed;
}

export function stageApp(out: string, log: (line: string) => void = () => {}): void {
  const work = mkdtempSync(join(tmpdir(), 'typerator-image-'));
  try {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });

    log('packing the Typerator package (scripts/build-package.ts)');
    const tarball = execFileSync(
      process.execPath,
      [join(root, 'scripts/build-package.ts'), '--out', join(work, 'package'), '--pack', work],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    )
      .trim()
      .split('\n')
      .at(-1);
    if (!tarball) throw new Error('scripts/build-package.ts printed no tarball path');
    execFileSync('tar', ['-xzf', tarball, '-C', out, '--strip-components=1'], { stdio: 'inherit' });

    // The operators import ../../sdk/x.ts; compiled, they import ../../sdk/x.js, which the package
    // holds at the same relative place. tsc also emits the SDK files they import: only operators/ is
    // kept from its output, so the package's own sdk/ stays as packed.
    log('compiling the example operators');
    const compiled = join(work, 'compiled');
    compileTypeScript(['operators'], compiled);
    cpSync(join(compiled, 'operators'), join(out, 'operators'), { recursive: true });

    log('installing production dependencies from package-lock.json');
    cpSync(join(root, 'package-lock.json'), join(out, 'package-lock.json'));
    execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: out,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    rmSync(join(out, 'package-lock.json'));
    const removed = removeUnusedFiles(join(out, 'node_modules'));
    log(`left ${removed} never-loaded files (types, sources, maps, docs) out of node_modules`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node scripts/image/stage-app.ts <output folder>');
    process.exit(2);
  }
  stageApp(resolve(out), (line) => console.error(`[stage-app] ${line}`));
}
