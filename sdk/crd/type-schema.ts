import { resolve } from 'node:path';
import ts from 'typescript';
import { CrdGenerationError, InvalidOptionError, SourceSyntaxError, type CrdSourceError } from './errors.ts';
import { COMPILER_OPTIONS, dedupe } from './generate-crds.ts';
import type { JsonSchema, SchemaOrigins } from './json-schema.ts';
import { locationOf, SchemaBuilder } from './schema-builder.ts';
import { checkStructuralSchema } from './structural-check.ts';

/** Options for {@link generateTypeSchema}. */
export interface TypeSchemaOptions {
  /** The TypeScript file declaring the type (relative to the working folder, or absolute). */
  readonly file: string;
  /** The interface or type alias, declared at the top level of `file`. */
  readonly typeName: string;
  /** Overrides for the TypeScript compiler options used to read the type. */
  readonly compilerOptions?: ts.CompilerOptions;
}

/**
 * The structural OpenAPI v3 schema of one TypeScript type that is not a resource (a Helm chart's
 * values, a configuration file), built by the CRD generator's walker: the same type mapping, JSDoc
 * descriptions and field markers (`@minimum`, `@pattern`, ...), and the same structural check.
 * Throws {@link CrdGenerationError} listing every problem with file:line and property path, or
 * `InvalidOptionError` when `file` does not declare `typeName`.
 */
export function generateTypeSchema(options: TypeSchemaOptions): JsonSchema {
  const file = resolve(options.file);
  const program = ts.createProgram([file], { ...COMPILER_OPTIONS, ...options.compilerOptions });
  const sourceFile = program.getSourceFile(file);
  if (!sourceFile) throw new InvalidOptionError('file', options.file, 'must be a readable TypeScript file');
  const errors: CrdSourceError[] = [];
  for (const diagnostic of program.getSyntacticDiagnostics(sourceFile))
    errors.push(
      new SourceSyntaxError(
        { file, line: sourceFile.getLineAndCharacterOfPosition(diagnostic.start).line + 1 },
        '',
        ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '),
        'fix the TypeScript syntax',
      ),
    );
  const declaration = sourceFile.statements.find(
    (statement): statement is ts.InterfaceDeclaration | ts.TypeAliasDeclaration =>
      (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) &&
      statement.name.text === options.typeName,
  );
  if (!declaration && errors.length === 0)
    throw new InvalidOptionError(
      'typeName',
      options.typeName,
      `must name an interface or type alias declared in ${options.file}`,
    );
  let schema: JsonSchema = {};
  const origins: SchemaOrigins = new WeakMap();
  if (declaration) {
    const checker = program.getTypeChecker();
    const builder = new SchemaBuilder(checker, errors, origins);
    const location = locationOf(declaration);
    schema = builder.typeSchema(checker.getTypeAtLocation(declaration.name), {
      path: '',
      location,
      typeNode: ts.isTypeAliasDeclaration(declaration) ? declaration.type : undefined,
    });
    errors.push(...checkStructuralSchema(schema, origins, location));
  }
  if (errors.length > 0) throw new CrdGenerationError(dedupe(errors));
  // Schemas of shared types are shared while building; hand out an independent object.
  return structuredClone(schema);
}
