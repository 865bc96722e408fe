// maxDescriptionLength: descriptions cut at a word boundary with "...", 0 drops them, bad values fail.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkStructuralSchema,
  generateCrds,
  InvalidOptionError,
  limitCrdDescriptions,
  shortenDescription,
  type CustomResourceDefinition,
  type JsonSchema,
} from '../../../sdk/crd/index.ts';
import { repoRoot } from './expect-errors.ts';

/** Every description in a schema tree, keyed by where it sits. */
function descriptions(schema: JsonSchema, path = '', found = new Map<string, string>()): Map<string, string> {
  if (schema.description !== undefined) found.set(path || '.', schema.description);
  for (const [name, property] of Object.entries(schema.properties ?? {}))
    descriptions(property, `${path}.${name}`, found);
  if (schema.items) descriptions(schema.items, `${path}[]`, found);
  if (typeof schema.additionalProperties === 'object')
    descriptions(schema.additionalProperties, `${path}{}`, found);
  return found;
}

const long = (text: string): JsonSchema => ({ type: 'string', description: text });

function crdWith(...schemas: JsonSchema[]): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'things.example.dev' },
    spec: {
      group: 'example.dev',
      names: { kind: 'Thing', listKind: 'ThingList', plural: 'things', singular: 'thing' },
      scope: 'Namespaced',
      versions: schemas.map((schema, index) => ({
        name: `v${index + 1}`,
        served: true,
        storage: index === 0,
        schema: { openAPIV3Schema: schema },
        additionalPrinterColumns: [
          { name: 'Note', type: 'string', jsonPath: '.spec.note', description: 'x'.repeat(80) },
        ],
      })),
    },
  };
}

describe('shortenDescription', () => {
  it('cuts at the last whitespace that leaves room for "..."', () => {
    assert.equal(shortenDescription('The quick brown fox jumps', 16), 'The quick...');
    assert.equal(shortenDescription('one two\nthree four', 12), 'one two...');
    assert.equal(shortenDescription('If it is Exists, the list is empty', 20), 'If it is Exists...');
    // A whitespace right at the limit is a clean cut: "The quick" + "..." is exactly 12.
    assert.equal(shortenDescription('The quick brown', 12), 'The quick...');
  });

  it('never returns more than the limit', () => {
    const text = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.';
    for (let limit = 1; limit <= text.length + 2; limit++) {
      const short = shortenDescription(text, limit);
      assert.ok(short !== undefined && short.length <= limit, `${limit}: "${short}"`);
      if (limit < text.length && limit > 3) assert.ok(short.endsWith('...'), `${limit}: "${short}"`);
    }
  });

  it('cuts hard when there is no whitespace to cut at', () => {
    assert.equal(shortenDescription('https://example.dev/a/very/long/path', 12), 'https://e...');
    assert.equal(shortenDescription('Seehttps://example.dev/a/long/path more', 12), 'Seehttps:...');
  });

  it('keeps descriptions of exactly the limit or shorter unchanged', () => {
    assert.equal(shortenDescription('exactly twenty chars', 20), 'exactly twenty chars');
    assert.equal(shortenDescription('short', 20), 'short');
  });

  it('drops descriptions with a limit of 0, and keeps a bare prefix below 4', () => {
    assert.equal(shortenDescription('anything', 0), undefined);
    assert.equal(shortenDescription('anything', 3), 'any');
  });
});

describe('limitCrdDescriptions', () => {
  const text = 'Lorem ipsum dolor sit amet consectetur adipiscing elit';
  const tree = (): JsonSchema => ({
    type: 'object',
    description: text,
    properties: {
      spec: {
        type: 'object',
        description: text,
        properties: {
          list: { type: 'array', description: text, items: { ...long(text), type: 'object' } },
          map: { type: 'object', additionalProperties: long(text) },
          either: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, long(text)] },
          short: long('Fits.'),
        },
      },
    },
  });

  it('shortens nested properties, items and additionalProperties in every version', () => {
    const crd = crdWith(tree(), tree());
    limitCrdDescriptions(crd, 20);
    for (const version of crd.spec.versions) {
      const found = descriptions(version.schema.openAPIV3Schema);
      assert.deepEqual([...found.keys()].sort(), [
        '.',
        '.spec',
        '.spec.list',
        '.spec.list[]',
        '.spec.map{}',
        '.spec.short',
      ]);
      for (const [path, description] of found)
        assert.equal(description, path === '.spec.short' ? 'Fits.' : 'Lorem ipsum dolor...', path);
      const either = version.schema.openAPIV3Schema.properties?.['spec']?.properties?.['either'];
      assert.equal(either?.anyOf?.[1]?.description, 'Lorem ipsum dolor...');
    }
  });

  it('removes every schema description with 0 and leaves printer columns alone', () => {
    const crd = crdWith(tree());
    limitCrdDescriptions(crd, 0);
    const [version] = crd.spec.versions;
    assert.ok(version);
    assert.doesNotMatch(JSON.stringify(version.schema), /"description"/);
    assert.equal(version.additionalPrinterColumns?.[0]?.description, 'x'.repeat(80));
  });
});

describe('generateCrds maxDescriptionLength', () => {
  const entries = ['test/fixtures/crd/widget.ts'];

  it('applies the limit to the generated schemas, which still pass the structural check', () => {
    const whole = generateCrds({ root: repoRoot, entries });
    const short = generateCrds({ root: repoRoot, entries, maxDescriptionLength: 40 });
    const [before] = whole;
    const [after] = short;
    const [source] = after?.sources ?? [];
    const [beforeVersion] = before?.crd.spec.versions ?? [];
    const [afterVersion] = after?.crd.spec.versions ?? [];
    assert.ok(after && source && beforeVersion && afterVersion);
    const original = descriptions(beforeVersion.schema.openAPIV3Schema);
    const limited = descriptions(afterVersion.schema.openAPIV3Schema);
    assert.deepEqual([...limited.keys()], [...original.keys()]);
    assert.ok(
      [...original.values()].some((d) => d.length > 40),
      'the fixture has long descriptions',
    );
    for (const [path, description] of limited) {
      assert.ok(description.length <= 40, `${path}: ${description}`);
      assert.equal(description, shortenDescription(original.get(path) ?? '', 40));
    }
    for (const version of after.crd.spec.versions)
      assert.deepEqual(
        checkStructuralSchema(version.schema.openAPIV3Schema, new WeakMap(), source.location),
        [],
      );
    assert.deepEqual(afterVersion.additionalPrinterColumns, beforeVersion.additionalPrinterColumns);
  });

  it('rejects a negative or fractional limit with an error naming the option and value', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])
      assert.throws(
        () => generateCrds({ root: repoRoot, entries, maxDescriptionLength: bad }),
        (error: unknown) => {
          assert.ok(error instanceof InvalidOptionError);
          assert.equal(error.option, 'maxDescriptionLength');
          assert.ok(Object.is(error.value, bad));
          assert.equal(
            error.message,
            `maxDescriptionLength must be a non-negative integer, got ${String(bad)}`,
          );
          return true;
        },
      );
  });
});
