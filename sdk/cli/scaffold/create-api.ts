import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiTypesModule } from './api-types.ts';
import { stubControllerModule } from './controller-module.ts';
import { checkKind, kindNames, type KindNames } from './kind-names.ts';
import { controllerCall, controllerImport } from './operator-module.ts';
import { writeProjectFiles } from './project-files.ts';
import { API_FOLDER, OPERATOR_MODULE, apiTypesPath, controllerPath, samplePath } from './project-layout.ts';
import { defaultGroup } from './project-name.ts';
import { registerController } from './register-controller.ts';
import { sampleManifest } from './sample-manifest.ts';
import { ScaffoldError } from './scaffold-error.ts';
import { findTyperatorProject } from './typerator-project.ts';

/** What `typerator create api` was asked for. */
export interface CreateApiOptions {
  /** The new kind, PascalCase. */
  readonly kind: string;
  /** Default: the group the project's API types already declare, else `<package name>.example.com`. */
  readonly group?: string | undefined;
  /** Default v1. */
  readonly apiVersion?: string | undefined;
  /** Where to look for the project (its package.json is here or above); default the working folder. */
  readonly cwd?: string | undefined;
}

/** What `typerator create api` did. */
export interface CreateApiResult {
  readonly root: string;
  readonly names: KindNames;
  /** Files written, relative to `root`. */
  readonly files: readonly string[];
  /** True when src/operator.ts now sets up the new controller. */
  readonly registered: boolean;
  /** Otherwise, the lines to add to src/operator.ts by hand. */
  readonly linesToAdd: readonly string[];
}

/** The project's API type files, relative to its root. */
function apiFiles(root: string): string[] {
  const folder = join(root, API_FOLDER);
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .sort()
    .map((file) => join(API_FOLDER, file));
}

/** The first `@group` marker in the project's API types. */
function declaredGroup(root: string, files: readonly string[]): string | undefined {
  for (const file of files) {
    const match = /^\s*\*\s*@group\s+(\S+)/m.exec(readFileSync(join(root, file), 'utf8'));
    if (match?.[1]) return match[1];
  }
  return undefined;
}

/** Refuses a kind the project already has: its files, or a type or `@kind` marker of that name. */
function checkKindIsNew(root: string, names: KindNames, files: readonly string[]): void {
  const present = [apiTypesPath(names), controllerPath(names), samplePath(names)].filter((path) =>
    existsSync(join(root, path)),
  );
  const declaration = new RegExp(String.raw`(\b(interface|type|class)\s+|@kind\s+)${names.kind}\b`);
  const declaredIn = files.filter((file) => declaration.test(readFileSync(join(root, file), 'utf8')));
  const evidence = [...new Set([...declaredIn, ...present])];
  if (evidence.length > 0)
    throw new ScaffoldError(
      `kind ${names.kind} already exists in ${root} (${evidence.join(', ')}); choose another name`,
    );
}

/**
 * Adds a kind to a project made by `typerator init`: its API types, a controller stub and a sample,
 * and registers the controller in src/operator.ts (or returns the lines to add when that file no
 * longer has the marker comments).
 */
export function createApi(options: CreateApiOptions): CreateApiResult {
  checkKind(options.kind);
  const project = findTyperatorProject(options.cwd ?? process.cwd());
  const { root } = project;
  const existing = apiFiles(root);
  const names = kindNames(
    options.kind,
    options.group ?? declaredGroup(root, existing) ?? defaultGroup(project.name),
    options.apiVersion ?? 'v1',
  );
  checkKindIsNew(root, names, existing);
  const files = writeProjectFiles(root, {
    [apiTypesPath(names)]: apiTypesModule(names, 'placeholder'),
    [controllerPath(names)]: stubControllerModule(names),
    [samplePath(names)]: sampleManifest(names, 'placeholder'),
  });
  const operatorFile = join(root, OPERATOR_MODULE);
  const edited = existsSync(operatorFile)
    ? registerController(readFileSync(operatorFile, 'utf8'), names)
    : undefined;
  if (edited !== undefined) writeFileSync(operatorFile, edited);
  return {
    root,
    names,
    files,
    registered: edited !== undefined,
    linesToAdd: edited === undefined ? [controllerImport(names), controllerCall(names)] : [],
  };
}
