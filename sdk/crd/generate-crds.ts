import { globSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import { assembleCrds, type GeneratedCrd } from './assemble-crd.ts';
import { checkMaxDescriptionLength, limitCrdDescriptions } from './description-budget.ts';
import { CrdGenerationError, NoResourcesError, SourceSyntaxError, type CrdSourceError } from './errors.ts';
import type { SchemaOrigins } from './json-schema.ts';
import { readResourceVersion, type ResourceVersion } from './resource-version.ts';
import { isRootDeclaration, SchemaBuilder } from './schema-builder.ts';
import { checkStructuralSchema } from './structural-check.ts';

/**
 * The default places of a project's API types: operators/<name>/api/ (this repository's layout, one
 * folder per operator) and src/api/ (projects made by `typerator init`).
 */
export const DEFAULT_ENTRIES: readonly string[] = ['operators/*/api/**/*.ts', 'src/api/**/*.ts'];

/** Options for {@link generateCrds}. */
export interface GenerateCrdsOptions {
  /** Files or globs (relative to `root`) holding the API types; default {@link DEFAULT_ENTRIES}. */
  readonly entries?: readonly string[];
  /** The project folder globs are resolved against; default the working folder. */
  readonly root?: string;
  /** Overrides for the TypeScript compiler options used to read the types. */
  readonly compilerOptions?: ts.CompilerOptions;
  /**
   * Longest description kept in the schemas, in characters: longer ones are cut at a word boundary
   * and end with "..."; 0 drops them. Unset keeps them whole. Keeps CRDs that embed big upstream
   * types (a pod template) under the 256 KiB client-side `kubectl apply` can store.
   */
  readonly maxDescriptionLength?: number;
}

/** The compiler options API types are read with (overridable per call). */
export const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2023,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  exactOptionalPropertyTypes: true,
  allowImportingTsExtensions: true,
  noEmit: true,
  skipLibCheck: true,
  // Only the API files' own imports matter; skipping ambient @types keeps program creation fast.
  types: [],
};

/** The TypeScript files the entries name, sorted, test files excluded. */
export function resolveEntryFiles(entries: readonly string[], root: string): string[] {
  const files = new Set<string>();
  for (const entry of entries)
    for (const match of globSync(entry, { cwd: root }))
      if (/\.(m|c)?ts$/.test(match) && !/\.(test|spec|bench)\.ts$/.test(match) && !match.endsWith('.d.ts'))
        files.add(resolve(root, match));
  return [...files].sort();
}

type RootDeclaration = ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.ClassDeclaration;

function rootDeclarations(sourceFile: ts.SourceFile): RootDeclaration[] {
  return sourceFile.statements.filter(
    (statement): statement is RootDeclaration =>
      (ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isClassDeclaration(statement)) &&
      isRootDeclaration(statement),
  );
}

/**
 * Reads the project's API types and returns one apiextensions.k8s.io/v1 CustomResourceDefinition
 * per group/kind. A declaration whose JSDoc carries `@group` is a resource version (see
 * markers.ts); versions of one kind merge into one CRD. Every schema passes the structural check
 * before it is returned. Throws {@link CrdGenerationError} listing every problem with its
 * file:line, or {@link NoResourcesError} when nothing is found; `InvalidOptionError` for a
 * bad `maxDescriptionLength`, before reading anything.
 */
export function generateCrds(options: GenerateCrdsOptions = {}): GeneratedCrd[] {
  const { maxDescriptionLength } = options;
  if (maxDescriptionLength !== undefined) checkMaxDescriptionLength(maxDescriptionLength);
  const root = resolve(options.root ?? process.cwd());
  const entries = options.entries ?? DEFAULT_ENTRIES;
  const files = resolveEntryFiles(entries, root);
  if (files.length === 0) throw new NoResourcesError(entries, 'no TypeScript file matches the entries');
  const program = ts.createProgram(files, { ...COMPILER_OPTIONS, ...options.compilerOptions });
  const checker = program.getTypeChecker();
  const errors: CrdSourceError[] = [];
  const origins: SchemaOrigins = new WeakMap();
  const builder = new SchemaBuilder(checker, errors, origins);
  const versions: ResourceVersion[] = [];
  for (const file of files) {
    const sourceFile = program.getSourceFile(file);
    if (!sourceFile) continue;
    for (const diagnostic of program.getSyntacticDiagnostics(sourceFile)) {
      const line = sourceFile.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
      errors.push(
        new SourceSyntaxError(
          { file, line },
          '',
          ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '),
          'fix the TypeScript syntax',
        ),
      );
    }
    for (const declaration of rootDeclarations(sourceFile)) {
      const version = readResourceVersion(declaration, checker, builder, errors);
      if (version) versions.push(version);
    }
  }
  if (versions.length === 0 && errors.length === 0)
    throw new NoResourcesError(
      entries,
      `none of the ${files.length} matching files declares a resource (@group)`,
    );
  const crds = assembleCrds(versions, errors);
  for (const version of versions)
    errors.push(...checkStructuralSchema(version.schema, origins, version.location));
  if (errors.length > 0) throw new CrdGenerationError(dedupe(errors));
  // Schemas of shared types are shared while building; hand out independent objects (and shorten
  // descriptions only there, so `sources` keep theirs).
  return crds.map((generated) => {
    const crd = structuredClone(generated.crd);
    if (maxDescriptionLength !== undefined) limitCrdDescriptions(crd, maxDescriptionLength);
    return { ...generated, crd };
  });
}

/** Sorted by file and line; a problem found twice (a shared type used twice) is reported once. */
export function dedupe(errors: readonly CrdSourceError[]): CrdSourceError[] {
  const seen = new Set<string>();
  return [...errors]
    .sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line)
    .filter((error) => {
      const key = `${error.location.file}:${error.location.line}:${error.problem}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
