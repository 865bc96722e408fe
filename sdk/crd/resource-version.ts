import ts from 'typescript';
import { ResourceDeclarationError, type CrdSourceError } from './errors.ts';
import { applyFieldMarkers } from './field-markers.ts';
import type { JsonSchema } from './json-schema.ts';
import type { MarkerSet, PrinterColumnMarker, SubresourceMarker } from './markers.ts';
import { dataProperties, locationOf, type SchemaBuilder } from './schema-builder.ts';
import type { SourceLocation } from './source-location.ts';

/** One version of a resource, read from a TypeScript declaration carrying `@group`. */
export interface ResourceVersion {
  readonly typeName: string;
  readonly location: SourceLocation;
  readonly markers: MarkerSet;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly served: boolean;
  /** True when `@storage` is written; undefined when left to the single-version default. */
  readonly storage: boolean | undefined;
  readonly deprecated: boolean;
  readonly deprecationWarning: string | undefined;
  readonly printerColumns: readonly PrinterColumnMarker[];
  readonly subresources: readonly SubresourceMarker[];
  readonly schema: JsonSchema;
}

const ROOT_DESCRIPTIONS = {
  apiVersion:
    'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
  kind: 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
};

/**
 * Reads a resource root: its resource markers and its schema. The root schema always has
 * `apiVersion`, `kind` (strings) and `metadata: {type: object}`, whatever the type declares for
 * them, because the apiserver owns those fields.
 */
export function readResourceVersion(
  declaration: ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.ClassDeclaration,
  checker: ts.TypeChecker,
  builder: SchemaBuilder,
  errors: CrdSourceError[],
): ResourceVersion | undefined {
  const location = locationOf(declaration);
  const typeName = declaration.name?.text ?? '(anonymous)';
  const { doc, markers } = builder.docOf(declaration);
  const group = markers.get('group')?.value;
  const version = markers.get('version')?.value;
  if (!version)
    errors.push(
      new ResourceDeclarationError(
        location,
        '',
        `resource ${typeName} has @group but no @version`,
        'add e.g. @version v1',
      ),
    );
  if (!group || !version) return undefined;
  const type = checker.getTypeAtLocation(declaration.name ?? declaration);
  if (!(type.flags & ts.TypeFlags.Object) || checker.isArrayType(type)) {
    errors.push(
      new ResourceDeclarationError(
        location,
        '',
        `resource ${typeName} must be an object type with spec/status fields`,
        'declare it as an interface',
      ),
    );
    return undefined;
  }
  const properties: Record<string, JsonSchema> = {
    apiVersion: { type: 'string', description: ROOT_DESCRIPTIONS.apiVersion },
    kind: { type: 'string', description: ROOT_DESCRIPTIONS.kind },
    metadata: { type: 'object' },
  };
  const required: string[] = [];
  for (const property of dataProperties(checker, type)) {
    if (property.name in properties) continue;
    properties[property.name] = builder.propertySchema(property, '', location);
    if (!(property.flags & ts.SymbolFlags.Optional)) required.push(property.name);
  }
  const schema: JsonSchema = { type: 'object', properties };
  if (doc.description) schema.description = doc.description;
  if (required.length > 0) schema.required = required;
  applyFieldMarkers(schema, markers, { path: '', location, errors });
  return {
    typeName,
    location,
    markers,
    group,
    version,
    kind: markers.get('kind')?.value ?? typeName,
    served: markers.get('served')?.value ?? true,
    storage: markers.get('storage') ? true : undefined,
    deprecated: markers.has('deprecated'),
    deprecationWarning: markers.get('deprecationWarning')?.value,
    printerColumns: markers.all('printerColumn').map((m) => m.value),
    subresources: markers.all('subresource').map((m) => m.value),
    schema,
  };
}
