import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { OPERATOR_NAME, type Operator } from '../runner/operator.ts';
import { importOperatorSetup } from '../runner/operator-module.ts';
import type { ProjectManifest } from './project-manifest.ts';

/** A project's `typerator.operators` is malformed or names a missing module; the message says where. */
export class ProjectOperatorsError extends Error {
  override readonly name = 'ProjectOperatorsError';
}

/** An operator a project declares: `"typerator": { "operators": { "<name>": "<module>" } }`. */
export interface ProjectOperator {
  readonly name: string;
  /** Absolute path of the module that exports `setup(manager)`. */
  readonly module: string;
  /** The package.json that declares it, for error messages. */
  readonly declaredIn: string;
}

/**
 * The operators a package.json declares under `typerator.operators` (name → module path, relative
 * to the package.json), in the order written; none when the field is absent. The names are what
 * `typerator run --operators` selects.
 */
export function projectOperators(manifest: ProjectManifest): ProjectOperator[] {
  const { file } = manifest;
  const declared = (manifest.typerator as { operators?: unknown } | null | undefined)?.operators;
  if (declared === undefined) return [];
  if (typeof declared !== 'object' || declared === null || Array.isArray(declared))
    throw new ProjectOperatorsError(`${file}: typerator.operators must be an object of name → module path`);
  return Object.entries(declared).map(([name, path]) => {
    if (!OPERATOR_NAME.test(name))
      throw new ProjectOperatorsError(
        `${file}: typerator.operators: "${name}" cannot name an operator: use letters, digits, ".", "_" and "-"`,
      );
    if (typeof path !== 'string' || path === '')
      throw new ProjectOperatorsError(
        `${file}: typerator.operators.${name} must be a module path (a string)`,
      );
    const module = resolve(dirname(file), path);
    if (!existsSync(module))
      throw new ProjectOperatorsError(`${file}: typerator.operators.${name}: ${path} does not exist`);
    return { name, module, declaredIn: file };
  });
}

/** Imports a declared operator's module; its `setup(manager)` becomes the registration's. */
export async function loadProjectOperator(declared: ProjectOperator): Promise<Operator> {
  const setup = await importOperatorSetup(declared.module).catch((error: unknown) => {
    throw new ProjectOperatorsError(
      `${declared.declaredIn}: typerator.operators.${declared.name}: ${(error as Error).message}`,
      { cause: error },
    );
  });
  return { name: declared.name, setup: (manager) => setup(manager) };
}

/**
 * A name for a project's process from its package name, usable as a Lease name:
 * `@shop/order-operator` → `order-operator`; `typerator` when nothing usable is left.
 */
export function programName(packageName: string | undefined): string {
  const name = (packageName ?? '')
    .replace(/^@[^/]*\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 253);
  return name === '' ? 'typerator' : name;
}
