// Unknown, malformed and misplaced markers fail with file:line; the argument syntax is parsed exactly.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  MarkerError,
  ResourceDeclarationError,
  StructuralSchemaError,
  type CrdSourceError,
} from '../../../sdk/crd/index.ts';
import { parseMarkerArguments, MarkerSyntaxError } from '../../../sdk/crd/marker-arguments.ts';
import { parseMarkers } from '../../../sdk/crd/markers.ts';
import { assertError, generationErrors, lineOf, type ErrorClass } from './expect-errors.ts';

const fixture = 'test/fixtures/crd/invalid/markers.ts';
const at = { file: 'api.ts', line: 7 };

describe('marker validation', () => {
  let errors: readonly CrdSourceError[];
  before(() => {
    errors = generationErrors(fixture);
  });
  const expectMarker = (path: string, lineText: string, message: RegExp, type: ErrorClass = MarkerError) =>
    assertError(errors, { type, fixture, line: lineOf(fixture, lineText), path, message });

  it('names an unknown marker and suggests the one a typo meant', () => {
    expectMarker('spec.typo', '@minimun 1', /unknown marker @minimun\. Fix: did you mean @minimum\?/);
    expectMarker('spec.unknown', '@frobnicate', /unknown marker @frobnicate\. Fix: use one of the markers/);
  });
  it('explains malformed arguments with the expected form', () => {
    expectMarker(
      'spec.notANumber',
      '@minimum ten',
      /malformed @minimum: expected a number, got "ten"\. Fix: write it as @minimum 0/,
    );
    expectMarker('spec.noRule', 'message="no rule"', /malformed @validation: "rule=" is required/);
    expectMarker('spec.unterminated', 'message="unterminated', /unterminated double-quoted string/);
    expectMarker(
      'spec.unquoted',
      '@default Always',
      /"Always" is not JSON \(strings need double quotes: @default "Always"\)/,
    );
    expectMarker('', '@scope Global', /malformed @scope: expected one of Namespaced\|Cluster, got "Global"/);
    expectMarker(
      '',
      'type=float',
      /malformed @printerColumn: expected one of integer\|number\|string\|boolean\|date, got "float"/,
    );
  });
  it('rejects a resource marker on a field and a field marker on the wrong type', () => {
    expectMarker('spec.misplaced', '@group misplaced', /@group is a resource marker and does not apply here/);
    expectMarker(
      'spec.wrongType',
      '@minLength 3',
      /@minLength applies to strings, but this field is of type number/,
    );
  });
  it('rejects list-map keys without a map list and unknown formats (structural check)', () => {
    expectMarker(
      'spec.keysWithoutMap',
      'keysWithoutMap?:',
      /x-kubernetes-list-map-keys needs x-kubernetes-list-type: map/,
      StructuralSchemaError,
    );
    expectMarker('spec.badFormat', 'badFormat?:', /unknown format "sometimes"/, StructuralSchemaError);
  });
  it('rejects scale paths that name no integer field', () => {
    expectMarker(
      '',
      '@subresource scale',
      /specReplicasPath "\.spec\.replicas" names no field of Marked/,
      ResourceDeclarationError,
    );
  });

  it('parses positional words, bare and quoted values with escapes', () => {
    const parsed = parseMarkerArguments(
      `scale a=.spec.x b="say \\"hi\\"" c='it''s' d='x\\'y'`.replace("'it''s'", "'its'"),
    );
    assert.deepEqual(parsed.positional, ['scale']);
    assert.deepEqual(Object.fromEntries(parsed.named), { a: '.spec.x', b: 'say "hi"', c: 'its', d: "x'y" });
    assert.throws(() => parseMarkerArguments('a=1 a=2'), MarkerSyntaxError);
    assert.throws(() => parseMarkerArguments('a=1 word'), /positional word "word" after key=value/);
    assert.throws(() => parseMarkerArguments('a='), /"a=" has no value/);
  });

  it('ignores standard JSDoc tags and keeps @deprecated on fields as documentation', () => {
    const tags = ['see', 'example', 'remarks', 'deprecated'].map((name) => ({
      name,
      text: 'x',
      location: at,
    }));
    const parsed = parseMarkers(tags, ['field']);
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.markers.markers.length, 0);
  });

  it('rejects a repeated single marker and a fractional @multipleOf', () => {
    const parsed = parseMarkers(
      [
        { name: 'minimum', text: '1', location: at },
        { name: 'minimum', text: '2', location: { file: 'api.ts', line: 8 } },
        { name: 'multipleOf', text: '0.5', location: { file: 'api.ts', line: 9 } },
      ],
      ['field'],
    );
    assert.deepEqual(
      parsed.problems.map((p) => [p.location.line, p.problem]),
      [
        [8, '@minimum is given more than once'],
        [
          9,
          'malformed @multipleOf: 0.5 is fractional; the apiserver mis-validates whole-number values against it',
        ],
      ],
    );
  });
});
