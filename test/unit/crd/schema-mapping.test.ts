// How TypeScript types map to structural schemas: the rules that raw JSON-schema generators
// (ts-json-schema-generator and the like) get wrong for CRDs.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { generateCrds, type JsonSchema } from '../../../sdk/crd/index.ts';
import { repoRoot } from './expect-errors.ts';

describe('TypeScript to structural schema mapping', () => {
  let spec: Record<string, JsonSchema>;
  let root: JsonSchema;
  before(() => {
    const [generated] = generateCrds({ root: repoRoot, entries: ['test/fixtures/crd/mapping/mapping.ts'] });
    assert.ok(generated);
    root = generated.crd.spec.versions[0]?.schema.openAPIV3Schema ?? {};
    spec = root.properties?.['spec']?.properties ?? {};
  });
  const field = (name: string) => {
    const schema = spec[name];
    assert.ok(schema, `spec.${name} exists`);
    return schema;
  };

  it('gives the root apiVersion, kind, a plain metadata object, and spec as required', () => {
    assert.deepEqual(Object.keys(root.properties ?? {}).sort(), ['apiVersion', 'kind', 'metadata', 'spec']);
    assert.deepEqual(root.properties?.['metadata'], { type: 'object' });
    assert.deepEqual(root.properties?.['apiVersion'], {
      type: 'string',
      description: root.properties?.['apiVersion']?.description,
    });
    assert.deepEqual(root.required, ['spec']);
  });
  it('inlines shared types instead of $ref/definitions', () => {
    const expected = { type: 'object', properties: { value: { type: 'string' } } };
    assert.deepEqual(field('first'), expected);
    assert.deepEqual(field('second'), expected);
  });
  it('turns number | string (client-node IntOrString or written out) into int-or-string', () => {
    assert.deepEqual(field('surge'), { 'x-kubernetes-int-or-string': true });
    assert.deepEqual(field('looseSurge'), { 'x-kubernetes-int-or-string': true });
  });
  it('turns T | null into nullable and literals into single-value enums', () => {
    assert.deepEqual(field('maybe'), { type: 'string', nullable: true });
    assert.deepEqual(field('constant'), { type: 'string', enum: ['only'] });
    assert.deepEqual(field('flag'), { type: 'boolean', enum: [true] });
    assert.deepEqual(field('mode'), { type: 'string', enum: ['a', 'b'] });
    assert.deepEqual(field('level'), { type: 'number', enum: [1, 2] });
    assert.deepEqual(field('toggle'), { type: 'boolean' });
  });
  it('writes exclusive bounds in the OpenAPI v3 boolean form', () => {
    assert.deepEqual(field('positive'), { type: 'number', minimum: 0, exclusiveMinimum: true });
  });
  it('keeps unknown fields for unknown, Record<string, unknown> and object', () => {
    assert.deepEqual(field('anything'), { 'x-kubernetes-preserve-unknown-fields': true });
    assert.deepEqual(field('freeForm'), { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    assert.deepEqual(field('object'), { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  });
  it('maps Record<string, T> to additionalProperties and Date to date-time', () => {
    assert.deepEqual(field('counts'), {
      type: 'object',
      additionalProperties: { type: 'integer', format: 'int32' },
    });
    assert.deepEqual(field('when'), { type: 'string', format: 'date-time' });
  });
  it('maps arrays, readonly and nested', () => {
    assert.deepEqual(field('list'), { type: 'array', items: { type: 'string' } });
    assert.deepEqual(field('matrix'), { type: 'array', items: { type: 'array', items: { type: 'number' } } });
  });
  it('says integer through @integer, @format int32|int64 or the Int32/Int64 aliases', () => {
    assert.deepEqual(field('whole'), { type: 'integer' });
    assert.deepEqual(field('big'), { type: 'integer', format: 'int64' });
  });
  it('applies markers of a named alias once, wherever it is used', () => {
    const positive = {
      type: 'integer',
      description: 'A positive count.',
      'x-kubernetes-validations': [{ rule: 'self > 0' }],
    };
    assert.deepEqual(field('count'), positive);
    assert.deepEqual(field('counts2'), { type: 'array', items: positive });
    assert.deepEqual(field('nullableInt'), { type: 'integer', format: 'int32', nullable: true });
  });
  it('reads client-node classes without their static members; embedded ObjectMeta is a small subset', () => {
    const selector = field('selector');
    assert.deepEqual(Object.keys(selector.properties ?? {}).sort(), ['matchExpressions', 'matchLabels']);
    assert.deepEqual(Object.keys(field('meta').properties ?? {}).sort(), [
      'annotations',
      'finalizers',
      'labels',
      'name',
      'namespace',
    ]);
  });
  it('never emits $ref, definitions, additionalProperties: false, or client-node statics in the golden files', () => {
    const golden = join(repoRoot, 'test/fixtures/crd/golden');
    for (const file of readdirSync(golden)) {
      const text = readFileSync(join(golden, file), 'utf8');
      for (const forbidden of [
        '$ref',
        'definitions:',
        'additionalProperties: false',
        'attributeTypeMap',
        'discriminator:',
        'mapping:',
      ])
        assert.ok(!text.includes(forbidden), `${file} contains ${forbidden}`);
    }
  });
});

describe('the README example', () => {
  it('generates a CRD with the scale subresource and an int-or-string maxSurge', () => {
    const [generated] = generateCrds({ root: repoRoot, entries: ['test/fixtures/crd/readme/widget.ts'] });
    assert.equal(generated?.fileName, 'widgets.apps.example.dev.yaml');
    const version = generated.crd.spec.versions[0];
    assert.deepEqual(version?.subresources?.scale, {
      specReplicasPath: '.spec.replicas',
      statusReplicasPath: '.status.replicas',
    });
    assert.deepEqual(version.schema.openAPIV3Schema.properties?.['spec']?.properties?.['maxSurge'], {
      description: 'Extra pods during a rollout: 3 or "25%".',
      'x-kubernetes-int-or-string': true,
    });
  });
});
