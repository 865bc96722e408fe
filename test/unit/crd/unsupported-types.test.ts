// Constructs without a structural schema fail with their file:line and property path.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  UnsupportedTypeError,
  StructuralSchemaError,
  MarkerError,
  type CrdSourceError,
} from '../../../sdk/crd/index.ts';
import { assertError, generationErrors, lineOf, type ErrorClass } from './expect-errors.ts';

const fixture = 'test/fixtures/crd/invalid/unsupported.ts';

describe('unsupported TypeScript constructs', () => {
  let errors: readonly CrdSourceError[];
  before(() => {
    errors = generationErrors(fixture);
  });
  const expectUnsupported = (
    path: string,
    lineText: string,
    message: RegExp,
    type: ErrorClass = UnsupportedTypeError,
  ) => assertError(errors, { type, fixture, line: lineOf(fixture, lineText), path, message });

  it('rejects a recursive type at the property that closes the cycle', () => {
    expectUnsupported(
      'spec.tree.children[]',
      'children?: TreeNode[]',
      /the type TreeNode refers to itself; structural schemas cannot be recursive/,
    );
  });
  it('rejects tuples', () => {
    expectUnsupported('spec.pair', 'pair?:', /tuples are not supported/);
  });
  it('rejects function-typed fields and methods', () => {
    expectUnsupported('spec.callback', 'callback?:', /functions cannot be part of a resource/);
    expectUnsupported('status.done', 'status?: { done', /methods cannot be part of a resource/);
  });
  it('rejects maps without string keys', () => {
    expectUnsupported('spec.byId', 'byId?:', /Map does not serialize to JSON.*Fix: use Record<string, T>/);
    expectUnsupported('spec.byNumber', 'byNumber?:', /map keys must be strings, not number/);
  });
  it('rejects unions of object types and of unrelated primitives', () => {
    expectUnsupported(
      'spec.shape',
      'shape?:',
      /the union Circle \| Square cannot be expressed as a structural schema/,
    );
    expectUnsupported('spec.mixed', 'mixed?:', /the union string \| false \| true cannot be expressed/);
  });
  it('rejects bigint, binary data, and objects mixing properties with an index signature', () => {
    expectUnsupported('spec.big', 'big?:', /bigint has no JSON form/);
    expectUnsupported('spec.bytes', 'bytes?:', /Uint8Array is binary data.*@format byte/);
    expectUnsupported('spec.both', 'both?:', /both named properties and an index signature/);
  });
  it('rejects floats where integers are declared: default, bound and enum member', () => {
    assertError(errors, {
      type: MarkerError,
      fixture,
      line: lineOf(fixture, '@default 1.5'),
      path: 'spec.retries',
      message: /@default does not fit the field's schema: 1\.5 is not an integer/,
    });
    assertError(errors, {
      type: MarkerError,
      fixture,
      line: lineOf(fixture, '@minimum 0.5'),
      path: 'spec.ratio',
      message: /@minimum 0\.5 is not a whole number, but the field is an integer/,
    });
    assertError(errors, {
      type: StructuralSchemaError,
      fixture,
      line: lineOf(fixture, 'level?: 1 | 1.5'),
      path: 'spec.level',
      message: /enum value does not fit: 1\.5 is not an integer/,
    });
  });
  it('rejects a type that does not resolve instead of treating it as free-form', () => {
    expectUnsupported(
      'spec.typo',
      'typo?:',
      /the type WidgetSpek cannot be resolved\. Fix: fix the type name or its import/,
    );
  });
  it('reports every problem in one run, sorted by line, each once', () => {
    assert.equal(errors.length, 15);
    const lines = errors.map((e) => e.location.line);
    assert.deepEqual(
      lines,
      [...lines].sort((a, b) => a - b),
    );
  });
});
