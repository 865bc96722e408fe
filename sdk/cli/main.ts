import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { findPluginCommands, loadPluginCommand, type CommandFactory } from './plugin-commands.ts';

type SetExitCode = (code: number) => void;

// Each subcommand loads its own dependencies (the CRD generator loads TypeScript, rollout loads the
// client), so only the one being run is imported; help lists them all.
const builtIn: Record<string, (setExitCode: SetExitCode) => Promise<Command>> = {
  cluster: async (exit) => (await import('./cluster-command.ts')).clusterCommand(exit),
  crd: async (exit) => (await import('./crd-command.ts')).crdCommand(exit),
  rbac: async (exit) => (await import('./rbac-command.ts')).rbacCommand(exit),
  dev: async (exit) => (await import('./dev-command.ts')).devCommand(exit),
  run: async () => (await import('./run-command.ts')).runCommand(),
  env: async (exit) => (await import('./env-command.ts')).envCommand(exit),
  init: async (exit) => (await import('./init-command.ts')).initCommand(exit),
  create: async (exit) => (await import('./init-command.ts')).createCommand(exit),
};

// The package.json two folders up: the repository's, or the installed package's.
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const program = new Command('typerator')
  .description('Typerator: a TypeScript operator SDK and CRD toolkit for Kubernetes')
  .version(version, '-V, --version', 'print the Typerator version')
  .showHelpAfterError();
const setExitCode: SetExitCode = (code) => (process.exitCode = code);

try {
  // Commands the current project declares in its package.json (`typerator.commands`).
  const subcommands: Record<string, CommandFactory> = { ...builtIn };
  for (const plugin of findPluginCommands(process.cwd())) {
    if (plugin.name in builtIn)
      throw new Error(
        `${plugin.declaredIn}: typerator.commands.${plugin.name} clashes with a built-in command`,
      );
    subcommands[plugin.name] = (exit) => loadPluginCommand(plugin, exit);
  }
  const requested = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
  const load = requested !== undefined && requested in subcommands ? [requested] : Object.keys(subcommands);
  for (const name of load) {
    const create = subcommands[name];
    if (create) program.addCommand(await create(setExitCode));
  }
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`typerator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
