// A Helm chart's values.schema.json from a TypeScript type: sdk/crd's schema walker reads the type
// (generateTypeSchema: the CRD type mapping, JSDoc descriptions and field markers), and this module
// rewrites its structural OpenAPI v3 schema as the JSON Schema (draft-07) Helm validates values with.
// Used by scripts/generate-values-schema.ts (npm run chart:schema / chart:schema:check) and its test.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { generateTypeSchema, shortenDescription, type JsonSchema } from '../sdk/crd/index.ts';

/** A JSON Schema (draft-07) node, the subset the rewrite emits. */
export interface ValuesSchema {
  $schema?: string;
  title?: string;
  description?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  required?: string[];
  properties?: Record<string, ValuesSchema>;
  additionalProperties?: ValuesSchema | false;
  items?: ValuesSchema;
  anyOf?: ValuesSchema[];
  oneOf?: ValuesSchema[];
  allOf?: ValuesSchema[];
  not?: ValuesSchema;
}

/** A schema construct Helm's JSON Schema validation cannot check, with the values path it is at. */
export class ValuesSchemaError extends Error {
  override readonly name = 'ValuesSchemaError';
  readonly path: string;
  constructor(path: string, problem: string) {
    super(`${path || '(root)'}: ${problem}`);
    this.path = path;
  }
}

/** The chart this repository ships, and the type its values are declared by. */
export const OPERATORS_CHART = {
  chartDir: 'charts/typerator-operators',
  typeFile: 'values.ts',
  typeName: 'TyperatorOperatorsValues',
} as const;

/**
 * Longest description kept: client-node's field documentation (an affinity alone has 30 KB of it)
 * is cut at a word boundary, like the CRDs' `maxDescriptionLength` (150 in package.json); the chart's
 * own descriptions are shorter and stay whole.
 */
export const MAX_DESCRIPTION_LENGTH = 150;

/** Formats draft-07 defines; the OpenAPI / Kubernetes ones (int32, byte, cidr, ...) are dropped. */
const JSON_SCHEMA_FORMATS = new Set([
  'date-time',
  'date',
  'time',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uri',
]);

const isIntOrStringPair = (schemas: readonly JsonSchema[] | undefined): boolean =>
  schemas?.length === 2 &&
  schemas.some((s) => s.type === 'integer' && Object.keys(s).length === 1) &&
  schemas.some((s) => s.type === 'string' && Object.keys(s).length === 1);

/**
 * The JSON Schema Helm checks values with, for a structural schema from sdk/crd. Objects with
 * declared properties refuse others (`additionalProperties: false`, which structural schemas leave
 * implicit); int-or-string becomes `type: [integer, string]` (`[number, string]` for a resource
 * quantity, whose pattern takes fractions), nullable adds `null`, the boolean
 * `exclusiveMinimum`/`exclusiveMaximum` become draft-07 numbers, `@listType set` becomes
 * `uniqueItems`, free-form (`x-kubernetes-preserve-unknown-fields`) stays open. CEL rules
 * (`@validation`, `@immutable`) cannot be checked by Helm and are refused with a ValuesSchemaError.
 */
export function helmValuesSchema(schema: JsonSchema, path = ''): ValuesSchema {
  const out: ValuesSchema = {};
  if (schema.description !== undefined) {
    // JSDoc wraps lines; a schema description is one paragraph.
    const oneLine = schema.description.replace(/\s+/g, ' ').trim();
    const description = shortenDescription(oneLine, MAX_DESCRIPTION_LENGTH);
    if (description) out.description = description;
  }
  if (schema['x-kubernetes-validations'])
    throw new ValuesSchemaError(
      path,
      'CEL rules (@validation, @immutable) cannot be checked by Helm; express the constraint with ' +
        'field markers (@minimum, @pattern, @enum literals, ...) or check it in a template with `fail`',
    );
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const intOrString = schema['x-kubernetes-int-or-string'] === true;
  // A resource quantity (its pattern takes "0.5") is a number in YAML too: `cpu: 0.5` is what the
  // apiserver accepts in a pod, and what the chart renders. Other int-or-strings stay integers.
  const fractional = intOrString && schema.pattern !== undefined && new RegExp(schema.pattern).test('0.5');
  let type: string | string[] | undefined = intOrString
    ? [fractional ? 'number' : 'integer', 'string']
    : schema.type;
  if (schema.nullable && type !== undefined) type = [...(Array.isArray(type) ? type : [type]), 'null'];
  if (type !== undefined) out.type = type;
  if (schema.format !== undefined && JSON_SCHEMA_FORMATS.has(schema.format)) out.format = schema.format;
  if (schema.enum) out.enum = schema.nullable ? [...schema.enum, null] : [...schema.enum];
  if (schema.default !== undefined) out.default = structuredClone(schema.default);

  if (schema.minimum !== undefined) {
    if (schema.exclusiveMinimum) out.exclusiveMinimum = schema.minimum;
    else out.minimum = schema.minimum;
  }
  if (schema.maximum !== undefined) {
    if (schema.exclusiveMaximum) out.exclusiveMaximum = schema.maximum;
    else out.maximum = schema.maximum;
  }
  for (const key of [
    'multipleOf',
    'minLength',
    'maxLength',
    'pattern',
    'minItems',
    'maxItems',
    'minProperties',
    'maxProperties',
  ] as const) {
    const value = schema[key];
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  if (schema['x-kubernetes-list-type'] === 'set') out.uniqueItems = true;

  if (schema.required) out.required = [...schema.required];
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([name, property]) => [
        name,
        helmValuesSchema(property, `${path}.${name}`),
      ]),
    );
    if (!preserve) out.additionalProperties = false;
  } else if (typeof schema.additionalProperties === 'object') {
    out.additionalProperties = helmValuesSchema(schema.additionalProperties, `${path}.*`);
  }
  if (schema.items) out.items = helmValuesSchema(schema.items, `${path}[]`);
  // The anyOf [integer, string] sdk/crd writes beside x-kubernetes-int-or-string is the type above.
  if (schema.anyOf && !(intOrString && isIntOrStringPair(schema.anyOf)))
    out.anyOf = schema.anyOf.map((s) => helmValuesSchema(s, path));
  if (schema.oneOf) out.oneOf = schema.oneOf.map((s) => helmValuesSchema(s, path));
  if (schema.allOf) out.allOf = schema.allOf.map((s) => helmValuesSchema(s, path));
  if (schema.not) out.not = helmValuesSchema(schema.not, path);
  return out;
}

/** Where a chart's values type and schema are. */
export interface ValuesSchemaSource {
  /** The chart folder (relative to `root`). */
  readonly chartDir: string;
  /** The TypeScript file declaring the values type, relative to the chart folder. */
  readonly typeFile: string;
  /** The exported interface describing every key of values.yaml. */
  readonly typeName: string;
}

/** The chart's name from its Chart.yaml (the `name:` line), for the schema's title. */
function chartName(chartDir: string): string {
  const match = /^name:\s*['"]?([^'"\s]+)/m.exec(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8'));
  if (!match?.[1]) throw new Error(`${join(chartDir, 'Chart.yaml')} has no name`);
  return match[1];
}

/**
 * The text of the chart's values.schema.json: the values type through sdk/crd and
 * {@link helmValuesSchema}, formatted by Prettier with the repository's settings (so
 * `prettier --check` and regeneration agree byte for byte).
 */
export async function renderValuesSchema(
  source: ValuesSchemaSource = OPERATORS_CHART,
  root = process.cwd(),
): Promise<string> {
  const chartDir = resolve(root, source.chartDir);
  const structural = generateTypeSchema({ file: join(chartDir, source.typeFile), typeName: source.typeName });
  const { description, ...rest } = helmValuesSchema(structural);
  const schema: ValuesSchema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `${chartName(chartDir)} values`,
    ...(description === undefined ? {} : { description }),
    ...rest,
  };
  const file = join(chartDir, 'values.schema.json');
  const options = (await resolveConfig(file)) ?? {};
  return format(JSON.stringify(schema, null, 2), { ...options, filepath: file });
}
