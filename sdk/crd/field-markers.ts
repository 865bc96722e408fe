import { MarkerError, type CrdSourceError } from './errors.ts';
import type { JsonSchema } from './json-schema.ts';
import type { Marker, MarkerSet } from './markers.ts';
import type { SourceLocation } from './source-location.ts';
import { valueMisfit } from './value-fit.ts';

/** Where a field's markers are being applied, for error messages. */
export interface FieldContext {
  readonly path: string;
  readonly location: SourceLocation;
  readonly errors: CrdSourceError[];
}

const INTEGER_FORMATS = new Set(['int32', 'int64']);
const FLOAT_FORMATS = new Set(['float', 'double']);

function isNumeric(schema: JsonSchema): boolean {
  return schema.type === 'number' || schema.type === 'integer';
}

/**
 * Applies field markers to `schema` in place. Each marker checks that it fits the schema's type,
 * so `@minLength` on a number or a fractional `@minimum` on an integer is an error, not output.
 */
export function applyFieldMarkers(schema: JsonSchema, markers: MarkerSet, context: FieldContext): void {
  const fail = (marker: Marker, problem: string, fix: string) =>
    context.errors.push(new MarkerError(marker.location, context.path, problem, fix));
  const requireType = (marker: Marker, fits: boolean, what: string): boolean => {
    if (!fits)
      fail(
        marker,
        `@${marker.name} applies to ${what}, but this field is ${describe(schema)}`,
        `remove @${marker.name} or change the field's type`,
      );
    return fits;
  };

  const intOrString = markers.get('intOrString');
  if (
    intOrString &&
    requireType(
      intOrString,
      isNumeric(schema) || schema.type === 'string' || !!schema['x-kubernetes-int-or-string'],
      'numbers or strings',
    )
  ) {
    delete schema.type;
    delete schema.format;
    schema['x-kubernetes-int-or-string'] = true;
  }
  const integer = markers.get('integer');
  if (integer && requireType(integer, isNumeric(schema), 'numbers')) schema.type = 'integer';
  const format = markers.get('format');
  if (format) {
    if (INTEGER_FORMATS.has(format.value)) {
      if (requireType(format, isNumeric(schema), 'numbers')) schema.type = 'integer';
    } else if (FLOAT_FORMATS.has(format.value)) {
      requireType(format, schema.type === 'number', 'non-integer numbers');
    }
    schema.format = format.value;
  }

  if (markers.get('preserveUnknownFields')) schema['x-kubernetes-preserve-unknown-fields'] = true;
  const embedded = markers.get('embeddedResource');
  if (embedded && requireType(embedded, schema.type === 'object', 'objects'))
    schema['x-kubernetes-embedded-resource'] = true;
  if (markers.get('nullable')) schema.nullable = true;

  for (const name of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'] as const) {
    const marker = markers.get(name);
    if (!marker || !requireType(marker, isNumeric(schema), 'numbers')) continue;
    if (schema.type === 'integer' && !Number.isInteger(marker.value) && name !== 'multipleOf') {
      fail(
        marker,
        `@${name} ${marker.value} is not a whole number, but the field is an integer`,
        `use a whole number, or drop @integer/@format if fractions are meant`,
      );
      continue;
    }
    if (name === 'exclusiveMinimum' || name === 'exclusiveMaximum') {
      const bound = name === 'exclusiveMinimum' ? 'minimum' : 'maximum';
      if (markers.get(bound)) {
        fail(marker, `@${name} and @${bound} are both given`, `keep one of them`);
        continue;
      }
      schema[bound] = marker.value;
      schema[name] = true;
    } else {
      schema[name] = marker.value;
    }
  }
  for (const name of ['minLength', 'maxLength', 'pattern'] as const) {
    const marker = markers.get(name);
    const fits = schema.type === 'string' || !!schema['x-kubernetes-int-or-string'];
    if (marker && requireType(marker, fits, 'strings'))
      (schema as Record<string, unknown>)[name] = marker.value;
  }
  for (const name of ['minItems', 'maxItems'] as const) {
    const marker = markers.get(name);
    if (marker && requireType(marker, schema.type === 'array', 'arrays')) schema[name] = marker.value;
  }
  for (const name of ['minProperties', 'maxProperties'] as const) {
    const marker = markers.get(name);
    if (marker && requireType(marker, schema.type === 'object', 'objects')) schema[name] = marker.value;
  }
  const listType = markers.get('listType');
  if (listType && requireType(listType, schema.type === 'array', 'arrays'))
    schema['x-kubernetes-list-type'] = listType.value;
  const listMapKeys = markers.get('listMapKeys');
  if (listMapKeys && requireType(listMapKeys, schema.type === 'array', 'arrays')) {
    schema['x-kubernetes-list-map-keys'] = [...listMapKeys.value];
  }
  const mapType = markers.get('mapType');
  if (mapType && requireType(mapType, schema.type === 'object', 'objects'))
    schema['x-kubernetes-map-type'] = mapType.value;

  const rules = [
    ...(schema['x-kubernetes-validations'] ?? []),
    ...markers.all('validation').map((m) => ({ ...m.value })),
    ...markers.all('immutable').map((m) => ({
      rule: 'self == oldSelf',
      message: m.value.message ?? `${context.path.split('.').at(-1) ?? 'the field'} is immutable`,
    })),
  ];
  if (rules.length > 0) schema['x-kubernetes-validations'] = rules;

  const defaultMarker = markers.get('default');
  if (defaultMarker) {
    const misfit = valueMisfit(defaultMarker.value, schema);
    if (misfit)
      fail(defaultMarker, `@default does not fit the field's schema: ${misfit}`, 'change the default value');
    else schema.default = defaultMarker.value;
  }
}

/** A short description of a schema's type for error messages. */
export function describe(schema: JsonSchema): string {
  if (schema['x-kubernetes-int-or-string']) return 'int-or-string';
  if (schema.type) return `of type ${schema.type}`;
  if (schema['x-kubernetes-preserve-unknown-fields']) return 'free-form (unknown)';
  return 'untyped';
}
