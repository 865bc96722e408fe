/**
 * Markers: JSDoc tags that steer CRD generation, in the spirit of controller-gen's
 * `+kubebuilder:` comments. One tag per line, `@name` followed by its argument; long arguments
 * may continue on the following lines. Lists are comma-separated; `key=value` arguments take
 * bare words or strings in single or double quotes (backslash escapes).
 *
 * Resource markers (on the exported interface, type alias or class of a resource version; a
 * declaration carrying `@group` is a resource root):
 * - `@group apps.example.dev`                 API group (required)
 * - `@version v1`                             version name (required)
 * - `@kind Widget`                            kind; default: the type's name
 * - `@plural widgets` / `@singular widget` / `@listKind WidgetList`  names; defaults derived from kind
 * - `@scope Namespaced|Cluster`               default Namespaced
 * - `@shortNames wd, wdg` / `@categories all, example`
 * - `@printerColumn name=Ready type=string jsonPath=.status.ready description="..." priority=1 format=...`
 *   (repeatable; type is integer|number|string|boolean|date)
 * - `@subresource status`
 * - `@subresource scale specReplicasPath=.spec.replicas statusReplicasPath=.status.replicas labelSelectorPath=.status.selector`
 * - `@served false` (default true) / `@storage` (the storage version; implied when there is one version)
 * - `@deprecated` / `@deprecationWarning "text"`  mark this version deprecated (a warning implies it)
 *
 * Field markers (on a property, or on an interface / type alias to apply wherever it is used):
 * - `@minimum 1` `@maximum 10` `@exclusiveMinimum 0` `@exclusiveMaximum 10` `@multipleOf 5`
 *   (the exclusive forms emit `minimum`/`maximum` plus the OpenAPI v3 boolean; `@multipleOf` takes
 *   whole numbers only, as the apiserver mis-validates whole values against a fractional factor)
 * - `@minLength 1` `@maxLength 63` `@pattern ^[a-z]+$` (rest of the line) `@format date-time`
 * - `@minItems` `@maxItems` `@minProperties` `@maxProperties`
 * - `@integer`, or `@format int32|int64`: a TS `number` becomes `type: integer` (or use the
 *   exported `Int32`/`Int64` aliases); a non-integer bound, enum value or default is then an error
 * - `@default <JSON>`                         e.g. `@default 3`, `@default "Always"`, `@default {"a":1}`
 * - `@nullable`                               same as `T | null`
 * - `@intOrString`                            same as `number | string` (client-node `IntOrString`)
 * - `@preserveUnknownFields`                  same as `unknown` / `Record<string, unknown>`
 * - `@embeddedResource`                       an object with apiVersion, kind and metadata
 * - `@listType atomic|set|map` `@listMapKeys name, protocol` `@mapType atomic|granular`
 * - `@validation rule="self.min <= self.max" message="..." messageExpression="..." reason=FieldValueInvalid fieldPath=.min`
 *   (repeatable; emits `x-kubernetes-validations`)
 * - `@immutable` or `@immutable message="..."`  emits the rule `self == oldSelf`
 *
 * A string-literal or number-literal union becomes an `enum`; optional properties are left out of
 * `required`; the doc comment above the markers becomes the `description`. Standard JSDoc tags
 * (`@see`, `@example`, `@remarks`, ...) are ignored; `@deprecated` on a field is documentation.
 * Any other tag, a malformed argument or a marker in the wrong place is an error naming file:line.
 * Several resource types with the same group and kind are the versions of one CRD.
 */
import { MarkerSyntaxError, parseMarkerArguments } from './marker-arguments.ts';
import type { SourceLocation } from './source-location.ts';

/** A printer column as declared by `@printerColumn`. */
export interface PrinterColumnMarker {
  readonly name: string;
  readonly type: 'integer' | 'number' | 'string' | 'boolean' | 'date';
  readonly jsonPath: string;
  readonly description?: string;
  readonly priority?: number;
  readonly format?: string;
}

/** A subresource as declared by `@subresource`. */
export type SubresourceMarker =
  | { readonly kind: 'status' }
  | {
      readonly kind: 'scale';
      readonly specReplicasPath: string;
      readonly statusReplicasPath: string;
      readonly labelSelectorPath?: string;
    };

/** A CEL rule as declared by `@validation` or implied by `@immutable`. */
export interface ValidationRuleMarker {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly reason?:
    'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
  readonly fieldPath?: string;
}

/** The parsed argument of each marker, by name. */
export interface MarkerValues {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  listKind: string;
  scope: 'Namespaced' | 'Cluster';
  shortNames: readonly string[];
  categories: readonly string[];
  printerColumn: PrinterColumnMarker;
  subresource: SubresourceMarker;
  served: boolean;
  storage: true;
  deprecated: true;
  deprecationWarning: string;
  minimum: number;
  maximum: number;
  exclusiveMinimum: number;
  exclusiveMaximum: number;
  multipleOf: number;
  minLength: number;
  maxLength: number;
  minItems: number;
  maxItems: number;
  minProperties: number;
  maxProperties: number;
  pattern: string;
  format: string;
  default: unknown;
  nullable: true;
  integer: true;
  intOrString: true;
  preserveUnknownFields: true;
  embeddedResource: true;
  listType: 'atomic' | 'set' | 'map';
  listMapKeys: readonly string[];
  mapType: 'atomic' | 'granular';
  validation: ValidationRuleMarker;
  immutable: { readonly message?: string };
}

export type MarkerName = keyof MarkerValues;

/** Where a marker may be written. */
export type MarkerScope = 'resource' | 'field';

/** A marker read from a JSDoc comment. */
export interface Marker<N extends MarkerName = MarkerName> {
  readonly name: N;
  readonly value: MarkerValues[N];
  readonly location: SourceLocation;
}

interface MarkerSpec<T> {
  readonly scope: MarkerScope;
  readonly repeatable?: boolean;
  /** Shown in error messages as the expected form. */
  readonly usage: string;
  parse(text: string): T;
}

/** A malformed argument; the caller adds the location. */
export class MarkerArgumentError extends Error {
  override readonly name = 'MarkerArgumentError';
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const VERSION = /^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;
const JSON_PATH = /^\.[A-Za-z0-9_.[\]'"@?()=!<>*-]+$/;

function word(pattern: RegExp, what: string): (text: string) => string {
  return (text) => {
    if (!pattern.test(text)) throw new MarkerArgumentError(`"${text}" is not a valid ${what}`);
    return text;
  };
}

function choice<T extends string>(...choices: readonly T[]): (text: string) => T {
  return (text) => {
    const found = choices.find((c) => c === text);
    if (found === undefined)
      throw new MarkerArgumentError(`expected one of ${choices.join('|')}, got "${text}"`);
    return found;
  };
}

function flag(text: string): true {
  if (text !== '') throw new MarkerArgumentError(`takes no argument, got "${text}"`);
  return true;
}

function finiteNumber(text: string): number {
  const value = Number(text);
  if (text === '' || !Number.isFinite(value))
    throw new MarkerArgumentError(`expected a number, got "${text}"`);
  return value;
}

function count(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value))
    throw new MarkerArgumentError(`expected a whole number ≥ 0, got "${text}"`);
  return value;
}

function list(pattern: RegExp, what: string): (text: string) => readonly string[] {
  return (text) => {
    const items = text.split(',').map((item) => item.trim());
    if (items.some((item) => !pattern.test(item)))
      throw new MarkerArgumentError(`expected a comma-separated list of ${what}, got "${text}"`);
    if (new Set(items).size !== items.length) throw new MarkerArgumentError(`"${text}" lists an entry twice`);
    return items;
  };
}

function nonEmpty(text: string): string {
  if (text === '') throw new MarkerArgumentError('needs an argument');
  return text;
}

/** Reads key=value arguments, rejecting unknown keys and requiring the listed ones. */
function keyValues(
  text: string,
  required: readonly string[],
  optional: readonly string[],
  positional = 0,
): { positional: readonly string[]; get(key: string): string | undefined } {
  let parsed;
  try {
    parsed = parseMarkerArguments(text);
  } catch (error) {
    if (error instanceof MarkerSyntaxError) throw new MarkerArgumentError(error.message);
    throw error;
  }
  if (parsed.positional.length > positional)
    throw new MarkerArgumentError(
      `unexpected word "${parsed.positional[positional] ?? ''}"; arguments are key=value`,
    );
  for (const key of parsed.named.keys())
    if (!required.includes(key) && !optional.includes(key))
      throw new MarkerArgumentError(`unknown key "${key}" (known: ${[...required, ...optional].join(', ')})`);
  for (const key of required)
    if (!parsed.named.has(key)) throw new MarkerArgumentError(`"${key}=" is required`);
  return { positional: parsed.positional, get: (key) => parsed.named.get(key) };
}

function jsonPath(value: string, key: string): string {
  if (!JSON_PATH.test(value))
    throw new MarkerArgumentError(
      `${key} "${value}" must be a JSON path starting with ".", e.g. .spec.replicas`,
    );
  return value;
}

function optionalEntry<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

const COLUMN_TYPES = choice('integer', 'number', 'string', 'boolean', 'date');
const REASONS = choice(
  'FieldValueInvalid',
  'FieldValueForbidden',
  'FieldValueRequired',
  'FieldValueDuplicate',
);

const MARKERS: { readonly [N in MarkerName]: MarkerSpec<MarkerValues[N]> } = {
  group: { scope: 'resource', usage: '@group apps.example.dev', parse: word(DNS_SUBDOMAIN, 'API group') },
  version: { scope: 'resource', usage: '@version v1', parse: word(VERSION, 'version (v1, v1beta1, ...)') },
  kind: { scope: 'resource', usage: '@kind Widget', parse: word(KIND, 'kind (UpperCamelCase)') },
  plural: { scope: 'resource', usage: '@plural widgets', parse: word(DNS_LABEL, 'lowercase plural name') },
  singular: {
    scope: 'resource',
    usage: '@singular widget',
    parse: word(DNS_LABEL, 'lowercase singular name'),
  },
  listKind: { scope: 'resource', usage: '@listKind WidgetList', parse: word(KIND, 'list kind') },
  scope: { scope: 'resource', usage: '@scope Namespaced|Cluster', parse: choice('Namespaced', 'Cluster') },
  shortNames: { scope: 'resource', usage: '@shortNames wd, wdg', parse: list(DNS_LABEL, 'lowercase names') },
  categories: {
    scope: 'resource',
    usage: '@categories all, example',
    parse: list(DNS_LABEL, 'lowercase names'),
  },
  printerColumn: {
    scope: 'resource',
    repeatable: true,
    usage:
      '@printerColumn name=Ready type=string jsonPath=.status.ready [description="..."] [priority=0] [format=...]',
    parse(text) {
      const args = keyValues(text, ['name', 'type', 'jsonPath'], ['description', 'priority', 'format']);
      const priority = args.get('priority');
      return {
        name: nonEmpty(args.get('name') ?? ''),
        type: COLUMN_TYPES(args.get('type') ?? ''),
        jsonPath: jsonPath(args.get('jsonPath') ?? '', 'jsonPath'),
        ...optionalEntry('description', args.get('description')),
        ...optionalEntry('priority', priority === undefined ? undefined : count(priority)),
        ...optionalEntry('format', args.get('format')),
      };
    },
  },
  subresource: {
    scope: 'resource',
    repeatable: true,
    usage:
      '@subresource status | @subresource scale specReplicasPath=.spec.replicas statusReplicasPath=.status.replicas [labelSelectorPath=.status.selector]',
    parse(text) {
      const kind = text.split(/\s/, 1)[0] ?? '';
      if (kind === 'status') {
        keyValues(text, [], [], 1);
        return { kind: 'status' };
      }
      if (kind === 'scale') {
        const args = keyValues(text, ['specReplicasPath', 'statusReplicasPath'], ['labelSelectorPath'], 1);
        const selector = args.get('labelSelectorPath');
        return {
          kind: 'scale',
          specReplicasPath: jsonPath(args.get('specReplicasPath') ?? '', 'specReplicasPath'),
          statusReplicasPath: jsonPath(args.get('statusReplicasPath') ?? '', 'statusReplicasPath'),
          ...optionalEntry(
            'labelSelectorPath',
            selector === undefined ? undefined : jsonPath(selector, 'labelSelectorPath'),
          ),
        };
      }
      throw new MarkerArgumentError(`expected "status" or "scale", got "${kind}"`);
    },
  },
  served: {
    scope: 'resource',
    usage: '@served false',
    parse: (text) => (text === '' ? true : choice('true', 'false')(text) === 'true'),
  },
  storage: { scope: 'resource', usage: '@storage', parse: flag },
  deprecated: { scope: 'resource', usage: '@deprecated', parse: flag },
  deprecationWarning: {
    scope: 'resource',
    usage: '@deprecationWarning "example.dev/v1beta1 Widget is deprecated; use v1"',
    parse: (text) => nonEmpty(text.replace(/^(["'])(.*)\1$/s, '$2')),
  },
  minimum: { scope: 'field', usage: '@minimum 0', parse: finiteNumber },
  maximum: { scope: 'field', usage: '@maximum 10', parse: finiteNumber },
  exclusiveMinimum: { scope: 'field', usage: '@exclusiveMinimum 0', parse: finiteNumber },
  exclusiveMaximum: { scope: 'field', usage: '@exclusiveMaximum 10', parse: finiteNumber },
  multipleOf: {
    scope: 'field',
    usage: '@multipleOf 5 (a whole number)',
    parse(text) {
      const value = finiteNumber(text);
      if (value <= 0) throw new MarkerArgumentError(`must be greater than 0, got ${text}`);
      // The apiserver truncates a fractional factor when checking whole-number values and then
      // rejects every such value, so a fraction would make valid objects unstorable.
      if (!Number.isInteger(value))
        throw new MarkerArgumentError(
          `${text} is fractional; the apiserver mis-validates whole-number values against it`,
        );
      return value;
    },
  },
  minLength: { scope: 'field', usage: '@minLength 1', parse: count },
  maxLength: { scope: 'field', usage: '@maxLength 63', parse: count },
  minItems: { scope: 'field', usage: '@minItems 1', parse: count },
  maxItems: { scope: 'field', usage: '@maxItems 10', parse: count },
  minProperties: { scope: 'field', usage: '@minProperties 1', parse: count },
  maxProperties: { scope: 'field', usage: '@maxProperties 10', parse: count },
  pattern: {
    scope: 'field',
    usage: '@pattern ^[a-z]+$',
    parse(text) {
      nonEmpty(text);
      try {
        new RegExp(text, 'u');
      } catch (error) {
        throw new MarkerArgumentError(`invalid regular expression: ${(error as Error).message}`);
      }
      return text;
    },
  },
  format: { scope: 'field', usage: '@format int32', parse: word(/^[a-z][a-z0-9-]*$/, 'format name') },
  default: {
    scope: 'field',
    usage: '@default 3 | @default "text" | @default {"key":"value"}',
    parse(text) {
      try {
        return JSON.parse(nonEmpty(text)) as unknown;
      } catch {
        throw new MarkerArgumentError(
          `"${text}" is not JSON (strings need double quotes: @default "${text}")`,
        );
      }
    },
  },
  nullable: { scope: 'field', usage: '@nullable', parse: flag },
  integer: { scope: 'field', usage: '@integer', parse: flag },
  intOrString: { scope: 'field', usage: '@intOrString', parse: flag },
  preserveUnknownFields: { scope: 'field', usage: '@preserveUnknownFields', parse: flag },
  embeddedResource: { scope: 'field', usage: '@embeddedResource', parse: flag },
  listType: { scope: 'field', usage: '@listType atomic|set|map', parse: choice('atomic', 'set', 'map') },
  listMapKeys: {
    scope: 'field',
    usage: '@listMapKeys name, protocol',
    parse: list(/^[A-Za-z_][\w]*$/, 'field names'),
  },
  mapType: { scope: 'field', usage: '@mapType atomic|granular', parse: choice('atomic', 'granular') },
  validation: {
    scope: 'field',
    repeatable: true,
    usage:
      '@validation rule="self.min <= self.max" [message="..."] [messageExpression="..."] [reason=FieldValueInvalid] [fieldPath=.min]',
    parse(text) {
      const args = keyValues(text, ['rule'], ['message', 'messageExpression', 'reason', 'fieldPath']);
      const reason = args.get('reason');
      const fieldPath = args.get('fieldPath');
      return {
        rule: nonEmpty(args.get('rule') ?? ''),
        ...optionalEntry('message', args.get('message')),
        ...optionalEntry('messageExpression', args.get('messageExpression')),
        ...optionalEntry('reason', reason === undefined ? undefined : REASONS(reason)),
        ...optionalEntry('fieldPath', fieldPath === undefined ? undefined : jsonPath(fieldPath, 'fieldPath')),
      };
    },
  },
  immutable: {
    scope: 'field',
    usage: '@immutable [message="..."]',
    parse(text) {
      const args = keyValues(text, [], ['message']);
      return optionalEntry('message', args.get('message'));
    },
  },
};

/** Standard JSDoc/TSDoc tags that carry no meaning for CRDs and are ignored. */
const IGNORED_TAGS = new Set([
  'see',
  'example',
  'remarks',
  'since',
  'internal',
  'todo',
  'author',
  'public',
  'beta',
  'alpha',
  'experimental',
  'privateRemarks',
  'note',
  'link',
  'inheritDoc',
]);

/** The known marker names. */
export const markerNames: readonly MarkerName[] = Object.keys(MARKERS) as MarkerName[];

function isMarkerName(name: string): name is MarkerName {
  return Object.hasOwn(MARKERS, name);
}

/** Levenshtein distance, to suggest the marker a typo meant. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** A tag that is not a usable marker where it was written. */
export interface MarkerProblem {
  readonly location: SourceLocation;
  readonly problem: string;
  readonly fix: string;
}

/** The markers found in one JSDoc comment. */
export class MarkerSet {
  readonly markers: readonly Marker[];
  constructor(markers: readonly Marker[]) {
    this.markers = markers;
  }
  /** The marker named `name`, if present (markers that may repeat: the first). */
  get<N extends MarkerName>(name: N): Marker<N> | undefined {
    return this.markers.find((m): m is Marker<N> => m.name === name);
  }
  /** Every marker named `name`, in source order. */
  all<N extends MarkerName>(name: N): readonly Marker<N>[] {
    return this.markers.filter((m): m is Marker<N> => m.name === name);
  }
  /** Whether any marker of the given scope is present. */
  has(name: MarkerName): boolean {
    return this.markers.some((m) => m.name === name);
  }
}

/** What `parseMarkers` returns: the markers it understood and the problems it found. */
export interface ParsedMarkers {
  readonly markers: MarkerSet;
  readonly problems: readonly MarkerProblem[];
}

/**
 * Parses the tags of one comment. `allowed` lists the scopes valid where the comment sits: a
 * resource root takes both, a property or a nested type only field markers. `@deprecated` on a
 * field is the standard JSDoc tag and is ignored.
 */
export function parseMarkers(
  tags: readonly { name: string; text: string; location: SourceLocation }[],
  allowed: readonly MarkerScope[],
): ParsedMarkers {
  const markers: Marker[] = [];
  const problems: MarkerProblem[] = [];
  for (const tag of tags) {
    if (IGNORED_TAGS.has(tag.name)) continue;
    if (!isMarkerName(tag.name)) {
      const near = markerNames.find((name) => editDistance(name.toLowerCase(), tag.name.toLowerCase()) <= 2);
      problems.push({
        location: tag.location,
        problem: `unknown marker @${tag.name}`,
        fix: near
          ? `did you mean @${near}?`
          : 'use one of the markers listed in sdk/crd/README.md (e.g. @minimum, @pattern, @group), or remove it',
      });
      continue;
    }
    const spec: MarkerSpec<unknown> = MARKERS[tag.name];
    if (!allowed.includes(spec.scope)) {
      if (tag.name === 'deprecated') continue;
      problems.push({
        location: tag.location,
        problem: `@${tag.name} is a ${spec.scope} marker and does not apply here`,
        fix:
          spec.scope === 'resource'
            ? 'put it on the resource type (the one carrying @group)'
            : 'put it on a property or on a type used by a property',
      });
      continue;
    }
    if (!spec.repeatable && markers.some((m) => m.name === tag.name)) {
      problems.push({
        location: tag.location,
        problem: `@${tag.name} is given more than once`,
        fix: 'keep a single one',
      });
      continue;
    }
    try {
      markers.push({ name: tag.name, value: spec.parse(tag.text), location: tag.location });
    } catch (error) {
      if (!(error instanceof MarkerArgumentError || error instanceof MarkerSyntaxError)) throw error;
      problems.push({
        location: tag.location,
        problem: `malformed @${tag.name}: ${error.message}`,
        fix: `write it as ${spec.usage}`,
      });
    }
  }
  return { markers: new MarkerSet(markers), problems };
}
