// Helpers for tests asserting that generation fails with a given error at a given file:line.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CrdGenerationError, generateCrds, type CrdSourceError } from '../../../sdk/crd/index.ts';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Generates from one fixture file and returns the errors it must fail with. */
export function generationErrors(fixture: string): readonly CrdSourceError[] {
  try {
    generateCrds({ root: repoRoot, entries: [fixture] });
  } catch (error) {
    if (error instanceof CrdGenerationError) return error.errors;
    throw error;
  }
  assert.fail(`generating ${fixture} should have failed`);
}

/** The 1-based line of the first line of `fixture` containing `text`. */
export function lineOf(fixture: string, text: string): number {
  const index = readFileSync(join(repoRoot, fixture), 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(text));
  assert.ok(index >= 0, `"${text}" not found in ${fixture}`);
  return index + 1;
}

/** A CrdSourceError subclass. */
export type ErrorClass = abstract new (...args: never[]) => CrdSourceError;

/**
 * Asserts one of `errors` is a `type` at `fixture:line` whose message matches `message`, and that
 * the message starts with `fixture:line: path:`.
 */
export function assertError(
  errors: readonly CrdSourceError[],
  expected: {
    readonly type: ErrorClass;
    readonly fixture: string;
    readonly line: number;
    readonly path: string;
    readonly message: RegExp;
  },
): void {
  const found = errors.find(
    (error) =>
      error.location.line === expected.line &&
      error.path === expected.path &&
      expected.message.test(error.message),
  );
  assert.ok(
    found,
    `no error at line ${expected.line} on "${expected.path}" matching ${String(expected.message)}; got:\n` +
      errors.map((e) => e.message).join('\n'),
  );
  assert.ok(found instanceof expected.type, `${found.name} is not a ${expected.type.name}`);
  const prefix = `${expected.fixture}:${expected.line}: ${expected.path ? `${expected.path}: ` : ''}`;
  assert.ok(found.message.startsWith(prefix), `"${found.message}" starts with "${prefix}"`);
  assert.match(found.message, /\. Fix: \S/, 'the message says how to fix it');
}
