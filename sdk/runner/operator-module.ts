import { pathToFileURL } from 'node:url';
import type { Manager } from '../manager/manager.ts';

/** What an operator module exports: `setup(manager)` registering its controllers and webhooks. */
export type OperatorSetup = (manager: Manager) => void | Promise<void>;

/** A module listed as an operator does not export a setup function; the message names the file. */
export class OperatorModuleError extends Error {
  override readonly name = 'OperatorModuleError';
}

/**
 * Imports an operator module (one `typerator run` and `typerator dev` load from package.json) and
 * returns its `setup`, exported by name or as the default export.
 */
export async function importOperatorSetup(file: string): Promise<OperatorSetup> {
  const module = (await import(pathToFileURL(file).href)) as { setup?: unknown; default?: unknown };
  const setup = module.setup ?? module.default;
  if (typeof setup !== 'function')
    throw new OperatorModuleError(
      `${file}: an operator module must export a function setup(manager) (named or default)`,
    );
  return setup as OperatorSetup;
}
