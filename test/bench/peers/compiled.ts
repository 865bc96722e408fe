// The Typerator side of the peer benchmarks runs as it ships — compiled to JavaScript, as the npm
// package and the operator image run it — as the Go peer runs compiled. From the TypeScript sources,
// Node's type stripping would add ~30 MiB of RSS and ~0.15 s of CPU that no deployed operator pays.
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTypeScript, repositoryRoot } from '../../../scripts/compile-typescript.ts';

/** Inside the repository, so the compiled files resolve node_modules as the sources do. */
const outDir = join(repositoryRoot, 'dist', 'bench-peers');
let compiled = false;

/** The compiled JavaScript of a file under test/bench/peers or operators/ (compiled once per process). */
export function compiledPeer(sourceUrl: URL): string {
  if (!compiled) {
    console.error('compiling the Typerator peers to JavaScript (tsc)...');
    compileTypeScript(['test/bench/peers', 'operators'], outDir);
    compiled = true;
  }
  return join(outDir, relative(repositoryRoot, fileURLToPath(sourceUrl))).replace(/\.ts$/, '.js');
}
