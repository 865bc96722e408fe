import { StructuralSchemaError } from './errors.ts';
import type { JsonSchema, SchemaOrigins } from './json-schema.ts';
import type { SourceLocation } from './source-location.ts';
import { valueMisfit } from './value-fit.ts';

/** Formats the apiextensions apiserver accepts in v1 CRDs. */
const KNOWN_FORMATS = new Set([
  'bsonobjectid',
  'uri',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'cidr',
  'mac',
  'uuid',
  'uuid3',
  'uuid4',
  'uuid5',
  'isbn',
  'isbn10',
  'isbn13',
  'creditcard',
  'ssn',
  'hexcolor',
  'rgbcolor',
  'byte',
  'password',
  'date',
  'duration',
  'datetime',
  'date-time',
  'int32',
  'int64',
  'float',
  'double',
]);

const KNOWN_KEYS = new Set([
  'type',
  'format',
  'description',
  'properties',
  'required',
  'items',
  'additionalProperties',
  'enum',
  'default',
  'nullable',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'anyOf',
  'allOf',
  'oneOf',
  'not',
  'title',
  'example',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
]);

/** Keys a branch of anyOf/allOf/oneOf/not may not carry in a structural schema. */
const FORBIDDEN_IN_JUNCTORS = ['type', 'description', 'default', 'nullable', 'additionalProperties'] as const;

function isIntOrStringPair(branches: readonly JsonSchema[] | undefined): boolean {
  return JSON.stringify(branches) === JSON.stringify([{ type: 'integer' }, { type: 'string' }]);
}

function isScalar(schema: JsonSchema | undefined): boolean {
  return (
    !!schema &&
    (schema.type === 'string' ||
      schema.type === 'integer' ||
      schema.type === 'number' ||
      schema.type === 'boolean' ||
      !!schema['x-kubernetes-int-or-string'])
  );
}

/**
 * Checks a CRD version's schema against the apiserver's structural-schema and validation rules,
 * so a schema it would reject fails here with the TypeScript file:line and property path instead.
 * `origins` maps schema nodes to declarations; nodes without one use their nearest ancestor's.
 */
export function checkStructuralSchema(
  root: JsonSchema,
  origins: SchemaOrigins,
  rootLocation: SourceLocation,
): StructuralSchemaError[] {
  const errors: StructuralSchemaError[] = [];
  const visit = (node: JsonSchema, path: string, inherited: SourceLocation, inJunctor: boolean): void => {
    const location = origins.get(node) ?? inherited;
    const fail = (problem: string, fix: string) =>
      errors.push(new StructuralSchemaError(location, path, problem, fix));
    const intOrString = node['x-kubernetes-int-or-string'] === true;
    const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;

    for (const key of Object.keys(node))
      if (!KNOWN_KEYS.has(key))
        fail(
          `"${key}" is not allowed in a CRD schema`,
          key === '$ref' || key === 'definitions' ? 'inline the referenced schema' : `remove "${key}"`,
        );
    if (inJunctor) {
      for (const key of FORBIDDEN_IN_JUNCTORS)
        if (node[key] !== undefined)
          fail(
            `"${key}" inside anyOf/allOf/oneOf/not is not structural`,
            `move "${key}" to the enclosing schema`,
          );
      for (const key of Object.keys(node))
        if (key.startsWith('x-kubernetes-'))
          fail(
            `"${key}" inside anyOf/allOf/oneOf/not is not structural`,
            `move "${key}" to the enclosing schema`,
          );
    } else {
      if (node.type === undefined && !intOrString && !preserve)
        fail(
          'the schema has no type, so it is not structural',
          'give the field a concrete TypeScript type, or type it unknown / mark it @preserveUnknownFields',
        );
      if (intOrString && node.type !== undefined)
        fail(
          'x-kubernetes-int-or-string must not be combined with a type',
          'drop the type (int-or-string implies it)',
        );
      if (node.nullable && node.type === undefined && !intOrString)
        fail('nullable needs a type', 'give the field a concrete type besides null');
    }
    if (node.type === 'array' && node.items === undefined)
      fail('an array needs an items schema', 'declare the element type, e.g. string[]');
    if (node.type !== 'array' && node.items !== undefined)
      fail('items is only allowed on arrays', 'remove it');
    if (typeof node.additionalProperties === 'boolean')
      fail(
        `additionalProperties: ${node.additionalProperties} is not allowed`,
        node.additionalProperties
          ? 'use x-kubernetes-preserve-unknown-fields (type unknown)'
          : 'drop it; unknown fields are pruned anyway',
      );
    if (node.properties && node.additionalProperties !== undefined)
      fail(
        'properties and additionalProperties are mutually exclusive',
        'move the free-form entries into a separate Record<string, T> field',
      );
    if (node.type !== undefined && node.type !== 'object' && (node.properties || node.additionalProperties))
      fail(`properties on a schema of type ${node.type}`, 'remove them');
    for (const key of node.required ?? [])
      if (node.properties && !(key in node.properties) && !preserve)
        fail(`required names "${key}", which is not a property`, 'declare the property');
    if (node.format !== undefined && !KNOWN_FORMATS.has(node.format))
      fail(`unknown format "${node.format}"`, `use one of ${[...KNOWN_FORMATS].join(', ')}`);
    if ((node.format === 'int32' || node.format === 'int64') && node.type === 'number')
      fail(
        `format ${node.format} on a number (floats allowed)`,
        'mark the field @integer, or use Int32/Int64',
      );
    if (node['x-kubernetes-embedded-resource']) {
      if (node.type !== 'object')
        fail('x-kubernetes-embedded-resource needs type object', 'use an object type');
      if (!node.properties && !preserve)
        fail(
          'x-kubernetes-embedded-resource needs properties or preserve-unknown-fields',
          'declare apiVersion, kind and metadata',
        );
    }
    if (node['x-kubernetes-map-type'] && node.type !== 'object')
      fail('x-kubernetes-map-type applies to objects only', 'remove @mapType');
    const listType = node['x-kubernetes-list-type'];
    const keys = node['x-kubernetes-list-map-keys'];
    if (listType && node.type !== 'array')
      fail('x-kubernetes-list-type applies to arrays only', 'remove @listType');
    if (keys && listType !== 'map')
      fail('x-kubernetes-list-map-keys needs x-kubernetes-list-type: map', 'add @listType map');
    if (listType === 'map') {
      const items = node.items;
      if (!keys?.length) fail('@listType map needs @listMapKeys', 'add e.g. @listMapKeys name');
      if (items?.type !== 'object')
        fail('@listType map needs object items', 'use @listType atomic or set instead');
      for (const key of keys ?? []) {
        const keySchema = items?.properties?.[key];
        if (!keySchema)
          fail(`list map key "${key}" is not a property of the items`, 'name a property of the element type');
        else if (!isScalar(keySchema))
          fail(`list map key "${key}" must be a scalar`, 'use a string or number key');
        else if (!items.required?.includes(key) && keySchema.default === undefined)
          fail(
            `list map key "${key}" must be required or have a default`,
            `make "${key}" non-optional or add @default`,
          );
      }
    }
    if (
      listType === 'set' &&
      node.items &&
      !isScalar(node.items) &&
      node.items['x-kubernetes-map-type'] !== 'atomic'
    )
      fail('@listType set needs scalar items', 'use @listType map with @listMapKeys for objects');
    const { enum: members, ...withoutEnum } = node;
    for (const member of members ?? []) {
      const misfit = valueMisfit(member, withoutEnum);
      if (misfit) fail(`enum value does not fit: ${misfit}`, 'fix the literal union');
    }
    if (node.default !== undefined) {
      const misfit = valueMisfit(node.default, node);
      if (misfit) fail(`default does not fit: ${misfit}`, 'change the @default value');
      if (path === '') fail('a default on the root is not allowed', 'put defaults on fields');
    }
    for (const rule of node['x-kubernetes-validations'] ?? [])
      if (!rule.rule.trim()) fail('a validation rule is empty', 'write a CEL expression');

    for (const [name, child] of Object.entries(node.properties ?? {}))
      visit(child, path ? `${path}.${name}` : name, location, false);
    if (node.items) visit(node.items, `${path}[]`, location, false);
    if (typeof node.additionalProperties === 'object')
      visit(node.additionalProperties, `${path}.*`, location, false);
    const junctors: [string, readonly JsonSchema[] | undefined][] = [
      ['anyOf', node.anyOf],
      ['allOf', node.allOf],
      ['oneOf', node.oneOf],
      ['not', node.not ? [node.not] : undefined],
    ];
    for (const [name, branches] of junctors) {
      if (!branches) continue;
      if (name === 'anyOf' && intOrString && isIntOrStringPair(branches)) continue;
      for (const branch of branches) visit(branch, `${path}(${name})`, location, true);
    }
  };
  visit(root, '', rootLocation, false);
  if (root.type !== 'object')
    errors.push(
      new StructuralSchemaError(
        rootLocation,
        '',
        'the root schema must be of type object',
        'declare the resource as an interface',
      ),
    );
  return errors;
}
