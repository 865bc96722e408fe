import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { findProjectManifest, ProjectManifestError } from './project-manifest.ts';

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
 * can ship its own subcommands (like the example operators' `rollout`, built with typerator/rollout).
 */
export function findPluginCommands(from: string): PluginCommand[] {
  let manifest;
  try {
    manifest = findProjectManifest(from);
  } catch (error) {
    if (error instanceof ProjectManifestError) throw new PluginCommandError(error.message, { cause: error });
    throw error;
  }
  if (!manifest) return [];
  const { file } = manifest;
  const commands = (manifest.typerator as { commands?: unknown } | null | undefined)?.commands;
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
