#!/usr/bin/env node
// The `typerator` command. Node 22.19+ runs the TypeScript sources directly (type stripping).
// Started by an older Node (a system Node 20, say), it re-runs itself with the Node the project
// installed as a dev dependency (node_modules/.bin/node), or says what to do.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major > 22 || (major === 22 && minor >= 19)) {
  await import('../sdk/cli/main.ts');
} else {
  const projectNode = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
  if (!existsSync(projectNode)) {
    process.stderr.write(
      `typerator: needs Node.js 22.19 or newer, and this is ${process.version}; run \`npm ci\` in ${fileURLToPath(new URL('..', import.meta.url))} (it installs a supported Node) or put Node 22.19+ on PATH\n`,
    );
    process.exit(1);
  }
  const child = spawn(projectNode, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  // Ctrl-C reaches the whole process group; the child shuts down on its own and we wait for it.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
}
