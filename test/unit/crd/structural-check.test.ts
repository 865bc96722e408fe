// The structural checker names the TypeScript file:line and property path of what the apiserver would reject.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkStructuralSchema, StructuralSchemaError, type JsonSchema } from '../../../sdk/crd/index.ts';
import { assertError, generationErrors, lineOf } from './expect-errors.ts';

const root = { file: '/project/api/widget.ts', line: 10 };
const field = { file: '/project/api/widget.ts', line: 42 };

/** Checks `spec` as the spec of a resource, with `spec` declared at `field`. */
function problemsOf(spec: JsonSchema): string[] {
  const schema: JsonSchema = { type: 'object', properties: { spec } };
  const origins = new WeakMap([[spec, field]]);
  return checkStructuralSchema(schema, origins, root).map((error) => {
    assert.ok(error instanceof StructuralSchemaError);
    return error.message;
  });
}

describe('structural schema check', () => {
  it('accepts what the generator emits for int-or-string, quantities and free-form fields', () => {
    assert.deepEqual(
      problemsOf({
        type: 'object',
        properties: {
          surge: { 'x-kubernetes-int-or-string': true },
          memory: { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
          extra: { 'x-kubernetes-preserve-unknown-fields': true },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
        },
      }),
      [],
    );
  });

  it('rejects a missing type with the path and the declaring line', () => {
    assert.deepEqual(problemsOf({ type: 'object', properties: { ports: { type: 'array', items: {} } } }), [
      '/project/api/widget.ts:42: spec.ports[]: the schema has no type, so it is not structural. Fix: give the field a concrete TypeScript type, or type it unknown / mark it @preserveUnknownFields',
    ]);
  });

  it('rejects types, descriptions and defaults inside anyOf/allOf branches', () => {
    const problems = problemsOf({
      type: 'object',
      properties: {
        value: { type: 'string', anyOf: [{ type: 'string', description: 'x' }], allOf: [{ default: 1 }] },
      },
    });
    assert.deepEqual(problems, [
      '/project/api/widget.ts:42: spec.value(anyOf): "type" inside anyOf/allOf/oneOf/not is not structural. Fix: move "type" to the enclosing schema',
      '/project/api/widget.ts:42: spec.value(anyOf): "description" inside anyOf/allOf/oneOf/not is not structural. Fix: move "description" to the enclosing schema',
      '/project/api/widget.ts:42: spec.value(allOf): "default" inside anyOf/allOf/oneOf/not is not structural. Fix: move "default" to the enclosing schema',
    ]);
  });

  it('rejects properties with additionalProperties, additionalProperties: false, nullable without type, and $ref', () => {
    const problems = problemsOf({
      type: 'object',
      properties: {
        both: {
          type: 'object',
          properties: { a: { type: 'string' } },
          additionalProperties: { type: 'string' },
        },
        closed: { type: 'object', additionalProperties: false },
        maybe: { nullable: true, 'x-kubernetes-preserve-unknown-fields': true },
        linked: { $ref: '#/definitions/Linked', type: 'object' } as JsonSchema,
        intTyped: { type: 'string', 'x-kubernetes-int-or-string': true },
      },
    });
    assert.deepEqual(
      problems.map((p) => p.replace('/project/api/widget.ts:42: ', '').replace(/\. Fix: .*/, '')),
      [
        'spec.both: properties and additionalProperties are mutually exclusive',
        'spec.closed: additionalProperties: false is not allowed',
        'spec.maybe: nullable needs a type',
        'spec.linked: "$ref" is not allowed in a CRD schema',
        'spec.intTyped: x-kubernetes-int-or-string must not be combined with a type',
      ],
    );
  });

  it('finds problems deep in a spec through TypeScript, naming the nested path', () => {
    const fixture = 'test/fixtures/crd/invalid/structure.ts';
    const errors = generationErrors(fixture);
    assertError(errors, {
      type: StructuralSchemaError,
      fixture,
      line: lineOf(fixture, 'ports: Port[]'),
      path: 'spec.servers[].ports',
      message:
        /list map key "port" must be required or have a default\. Fix: make "port" non-optional or add @default/,
    });
    assertError(errors, {
      type: StructuralSchemaError,
      fixture,
      line: lineOf(fixture, 'routes?:'),
      path: 'spec.servers[].routes',
      message: /@listType set needs scalar items/,
    });
  });
});
