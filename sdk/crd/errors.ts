import { formatLocation, type SourceLocation } from './source-location.ts';

/**
 * One problem found while generating CRDs, tied to the TypeScript declaration that caused it.
 * The message reads `file.ts:12: spec.size: <problem>. Fix: <how>`.
 */
export class CrdSourceError extends Error {
  override readonly name: string = 'CrdSourceError';
  readonly location: SourceLocation;
  /** The schema property path, e.g. `spec.template.spec.containers[].ports`; empty for a resource. */
  readonly path: string;
  readonly problem: string;
  readonly fix: string;
  constructor(location: SourceLocation, path: string, problem: string, fix: string) {
    super(`${formatLocation(location)}: ${path ? `${path}: ` : ''}${problem}. Fix: ${fix}`);
    this.location = location;
    this.path = path;
    this.problem = problem;
    this.fix = fix;
  }
}

/** A marker is unknown, malformed, or used where it does not apply. */
export class MarkerError extends CrdSourceError {
  override readonly name = 'MarkerError';
}

/** A TypeScript construct has no structural OpenAPI equivalent (recursion, tuples, functions, ...). */
export class UnsupportedTypeError extends CrdSourceError {
  override readonly name = 'UnsupportedTypeError';
}

/** The schema would be rejected by the apiserver as non-structural or invalid. */
export class StructuralSchemaError extends CrdSourceError {
  override readonly name = 'StructuralSchemaError';
}

/** The resource declarations of one kind do not fit together (versions, names, scope). */
export class ResourceDeclarationError extends CrdSourceError {
  override readonly name = 'ResourceDeclarationError';
}

/** Generation failed; carries every problem found, so all of them can be fixed in one go. */
export class CrdGenerationError extends Error {
  override readonly name = 'CrdGenerationError';
  readonly errors: readonly CrdSourceError[];
  constructor(errors: readonly CrdSourceError[]) {
    super(
      `CRD generation failed with ${errors.length} error${errors.length === 1 ? '' : 's'}:\n` +
        errors.map((error) => `  ${error.message}`).join('\n'),
    );
    this.errors = errors;
  }
}

/** The entry globs matched no TypeScript file, or no file declared a resource. */
export class NoResourcesError extends Error {
  override readonly name = 'NoResourcesError';
  readonly entries: readonly string[];
  constructor(entries: readonly string[], reason: string) {
    super(`${reason} (entries: ${entries.join(', ')})`);
    this.entries = entries;
  }
}

/** An API file does not parse as TypeScript. */
export class SourceSyntaxError extends CrdSourceError {
  override readonly name = 'SourceSyntaxError';
}

/** An option of `generateCrds` has an unusable value; `option` names it and `value` holds it. */
export class InvalidOptionError extends Error {
  override readonly name = 'InvalidOptionError';
  readonly option: string;
  readonly value: unknown;
  constructor(option: string, value: unknown, requirement: string) {
    super(
      `${option} ${requirement}, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
    );
    this.option = option;
    this.value = value;
  }
}
