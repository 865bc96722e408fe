import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';

/** What a plugin module exports: a factory for its commander command. */
export type CommandFactory = (setExitCode: (code: number) => void) => Command | Promise<Command>;

/** A `typerator.commands` entry of package.json names something unusable; the message says where. */
export class PluginCommandError extends Error {
  override readonly name = 'PluginCommandError';
}

/** A command a project adds to `typerator`, declared in its package.json. */
export interface PluginCommand {
  readonly name: string;
  /** Absolute path of the module that exports `command`. */
  readonly module: string;
  /** The package.json that declared it, for error messages. */
  readonly declaredIn: string;
}

/**
 * Finds the nearest package.json at or above `from` and returns the commands its
 * `"typerator": { "commands": { "<name>": "<module path>" } }` declares, so an operator project
 * can ship its own subcommands (like the example Deployment operator's `rollout`).
 */
export function findPluginCommands(from: string): PluginCommand[] {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return pluginCommandsIn(file);
    if (dirname(dir) === dir) return [];
  }
}

function pluginCommandsIn(file: string): PluginCommand[] {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PluginCommandError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const commands = (manifest as { typerator?: { commands?: unknown } } | null)?.typerator?.commands;
  if (commands === undefined) return [];
  if (typeof commands !== 'object' || commands === null || Array.isArray(commands))
    throw new PluginCommandError(`${file}: typerator.commands must be an object of name → module path`);
  return Object.entries(commands).map(([name, path]) => {
    if (typeof path !== 'string' || path === '')
      throw new PluginCommandError(`${file}: typerator.commands.${name} must be a module path (a string)`);
    return { name, module: resolve(dirname(file), path), declaredIn: file };
  });
}

/** Imports a plugin's module and builds its command; errors name the package.json entry. */
export async function loadPluginCommand(
  plugin: PluginCommand,
  setExitCode: (code: number) => void,
): Promise<Command> {
  const where = `${plugin.declaredIn}: typerator.commands.${plugin.name}`;
  if (!existsSync(plugin.module)) throw new PluginCommandError(`${where}: ${plugin.module} does not exist`);
  const module = (await import(pathToFileURL(plugin.module).href)) as { command?: unknown };
  if (typeof module.command !== 'function')
    throw new PluginCommandError(`${where}: ${plugin.module} does not export a function named "command"`);
  const command = await (module.command as CommandFactory)(setExitCode);
  if (command.name() !== plugin.name)
    throw new PluginCommandError(
      `${where}: the module's command is named "${command.name()}"; the entry must use the same name`,
    );
  return command;
}
