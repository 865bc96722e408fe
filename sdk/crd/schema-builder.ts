import ts from 'typescript';
import { MarkerError, UnsupportedTypeError, type CrdSourceError } from './errors.ts';
import { applyFieldMarkers } from './field-markers.ts';
import { readJsDoc, type JsDocComment } from './jsdoc-comment.ts';
import type { JsonSchema, SchemaOrigins } from './json-schema.ts';
import { MarkerSet, parseMarkers, type MarkerScope } from './markers.ts';
import type { SourceLocation } from './source-location.ts';

/** Where the walk is: the schema path and the declaration the current type came from. */
interface WalkContext {
  readonly path: string;
  readonly location: SourceLocation;
  /** The type as written, when known: it keeps alias names (`Int32`, `Quantity`) the checker drops. */
  readonly typeNode: ts.TypeNode | undefined;
}

/** A type alias whose name alone decides the schema, because the checker erases primitive aliases. */
const NAMED_ALIASES: Readonly<Record<string, () => JsonSchema>> = {
  Int32: () => ({ type: 'integer', format: 'int32' }),
  Int64: () => ({ type: 'integer', format: 'int64' }),
  Quantity: () => ({
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    pattern: QUANTITY_PATTERN,
    'x-kubernetes-int-or-string': true,
  }),
};

/** The pattern controller-gen emits for resource.Quantity. */
const QUANTITY_PATTERN =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

/**
 * ObjectMeta nested inside a spec (a pod template's metadata): the fields the apiserver keeps for
 * embedded objects, like controller-gen's `generateEmbeddedObjectMeta`. Never the full class.
 */
export function embeddedObjectMetaSchema(): JsonSchema {
  const stringMap = (): JsonSchema => ({ type: 'object', additionalProperties: { type: 'string' } });
  return {
    type: 'object',
    properties: {
      annotations: stringMap(),
      finalizers: { type: 'array', items: { type: 'string' } },
      labels: stringMap(),
      name: { type: 'string' },
      namespace: { type: 'string' },
    },
  };
}

/**
 * client-node types resource.Quantity as string; the apiserver takes numbers too (`cpu: 1`), so
 * these fields get the quantity schema controller-gen emits. `map` marks `{ [name]: Quantity }`.
 */
const CLIENT_NODE_QUANTITIES: Readonly<Record<string, 'map' | 'scalar'>> = {
  'V1ResourceRequirements.limits': 'map',
  'V1ResourceRequirements.requests': 'map',
  'V1VolumeResourceRequirements.limits': 'map',
  'V1VolumeResourceRequirements.requests': 'map',
  'V1PersistentVolumeClaimStatus.allocatedResources': 'map',
  'V1PersistentVolumeClaimStatus.capacity': 'map',
  'V1PodSpec.overhead': 'map',
  'V1EmptyDirVolumeSource.sizeLimit': 'scalar',
  'V1ResourceFieldSelector.divisor': 'scalar',
};

function clientNodeQuantity(declaration: ts.Declaration | undefined, name: string): JsonSchema | undefined {
  const owner = declaration?.parent;
  if (!owner || !ts.isClassDeclaration(owner) || !owner.name || !isFromLibrary(owner)) return undefined;
  const shape = CLIENT_NODE_QUANTITIES[`${owner.name.text}.${name}`];
  if (!shape) return undefined;
  const quantity = NAMED_ALIASES['Quantity']?.() ?? {};
  return shape === 'map' ? { type: 'object', additionalProperties: quantity } : quantity;
}

const UNSERIALIZABLE = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Promise', 'RegExp', 'Symbol', 'Error']);
const BINARY = new Set(['Buffer', 'Uint8Array', 'ArrayBuffer', 'Blob']);

function isFromLibrary(node: ts.Node): boolean {
  const file = node.getSourceFile().fileName;
  return file.includes('/node_modules/') || /\/lib\.[\w.]*\.d\.ts$/.test(file);
}

export function locationOf(node: ts.Node): SourceLocation {
  const sourceFile = node.getSourceFile();
  return {
    file: sourceFile.fileName,
    line: sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1,
  };
}

function unwrapTypeNode(node: ts.TypeNode | undefined): ts.TypeNode | undefined {
  let current = node;
  while (current && (ts.isParenthesizedTypeNode(current) || ts.isTypeOperatorNode(current)))
    current = current.type;
  if (current && ts.isUnionTypeNode(current)) {
    const meaningful = current.types.filter(
      (member) =>
        !(ts.isLiteralTypeNode(member) && member.literal.kind === ts.SyntaxKind.NullKeyword) &&
        member.kind !== ts.SyntaxKind.UndefinedKeyword,
    );
    return meaningful.length === 1 ? unwrapTypeNode(meaningful[0]) : current;
  }
  return current;
}

function elementTypeNode(node: ts.TypeNode | undefined): ts.TypeNode | undefined {
  const unwrapped = unwrapTypeNode(node);
  if (!unwrapped) return undefined;
  if (ts.isArrayTypeNode(unwrapped)) return unwrapped.elementType;
  if (ts.isTypeReferenceNode(unwrapped) && /^(Readonly)?Array$/.test(unwrapped.typeName.getText()))
    return unwrapped.typeArguments?.[0];
  return undefined;
}

function valueTypeNode(node: ts.TypeNode | undefined): ts.TypeNode | undefined {
  const unwrapped = unwrapTypeNode(node);
  if (unwrapped && ts.isTypeReferenceNode(unwrapped) && unwrapped.typeName.getText() === 'Record')
    return unwrapped.typeArguments?.[1];
  if (unwrapped && ts.isTypeLiteralNode(unwrapped)) {
    const index = unwrapped.members.find(ts.isIndexSignatureDeclaration);
    return index?.type;
  }
  return undefined;
}

/**
 * Turns TypeScript types into structural OpenAPI v3 schemas, reading descriptions and markers
 * from JSDoc. Problems are collected into `errors` (never thrown) so one run reports them all.
 */
export class SchemaBuilder {
  readonly #checker: ts.TypeChecker;
  readonly #errors: CrdSourceError[];
  readonly #origins: SchemaOrigins;
  /** Object types already converted; their schemas are shared (copied at the top when marked). */
  readonly #objectCache = new Map<ts.Type, JsonSchema>();
  /** Object types being converted right now, to detect recursion. */
  readonly #inProgress = new Set<ts.Type>();
  readonly #docCache = new Map<ts.Node, { doc: JsDocComment; markers: MarkerSet }>();

  constructor(checker: ts.TypeChecker, errors: CrdSourceError[], origins: SchemaOrigins) {
    this.#checker = checker;
    this.#errors = errors;
    this.#origins = origins;
  }

  /** The JSDoc and markers of a declaration; markers in library files are ignored. */
  docOf(node: ts.Node, path = ''): { doc: JsDocComment; markers: MarkerSet } {
    const cached = this.#docCache.get(node);
    if (cached) return cached;
    const doc = readJsDoc(node);
    const scopes: readonly MarkerScope[] = isRootDeclaration(node) ? ['field', 'resource'] : ['field'];
    let markers = new MarkerSet([]);
    if (!isFromLibrary(node)) {
      const parsed = parseMarkers(doc.tags, scopes);
      markers = parsed.markers;
      for (const problem of parsed.problems)
        this.#errors.push(new MarkerError(problem.location, path, problem.problem, problem.fix));
    }
    const entry = { doc, markers };
    this.#docCache.set(node, entry);
    return entry;
  }

  /** Records where a schema node came from. */
  #track(schema: JsonSchema, location: SourceLocation): JsonSchema {
    if (!this.#origins.has(schema)) this.#origins.set(schema, location);
    return schema;
  }

  #unsupported(context: WalkContext, problem: string, fix: string): JsonSchema {
    this.#errors.push(new UnsupportedTypeError(context.location, context.path, problem, fix));
    return { 'x-kubernetes-preserve-unknown-fields': true };
  }

  /**
   * The schema of one property, with its description and markers (the property's own, then those
   * of the alias or interface it refers to).
   */
  propertySchema(symbol: ts.Symbol, parentPath: string, fallback: SourceLocation): JsonSchema {
    const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
    const location = declaration ? locationOf(declaration) : fallback;
    const path = parentPath ? `${parentPath}.${symbol.name}` : symbol.name;
    const typeNode =
      declaration && (ts.isPropertySignature(declaration) || ts.isPropertyDeclaration(declaration))
        ? declaration.type
        : undefined;
    const context: WalkContext = { path, location, typeNode };
    if (declaration && (ts.isMethodSignature(declaration) || ts.isMethodDeclaration(declaration)))
      return this.#unsupported(context, 'methods cannot be part of a resource', 'remove the method');
    const type = this.#checker.getTypeOfSymbol(symbol);
    const schema = { ...(clientNodeQuantity(declaration, symbol.name) ?? this.typeSchema(type, context)) };
    if (declaration) {
      const { doc, markers } = this.docOf(declaration, path);
      if (doc.description) schema.description = doc.description;
      applyFieldMarkers(schema, markers, { path, location, errors: this.#errors });
    }
    return this.#track(schema, location);
  }

  /** Markers and description declared on a named type (alias or interface) used at `context`. */
  #namedTypeDocs(type: ts.Type, context: WalkContext): ts.Declaration[] {
    const declarations: ts.Declaration[] = [];
    const node = unwrapTypeNode(context.typeNode);
    if (node && ts.isTypeReferenceNode(node)) {
      let symbol = this.#checker.getSymbolAtLocation(node.typeName);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.#checker.getAliasedSymbol(symbol);
      const declaration = symbol?.declarations?.[0];
      if (declaration && ts.isTypeAliasDeclaration(declaration)) declarations.push(declaration);
    } else if (type.aliasSymbol?.declarations?.[0]) {
      declarations.push(type.aliasSymbol.declarations[0]);
    }
    return declarations;
  }

  /** The schema of a type, including markers written on the type alias it was named by. */
  typeSchema(type: ts.Type, context: WalkContext): JsonSchema {
    const aliasDeclarations = this.#namedTypeDocs(type, context);
    const aliasName =
      aliasDeclarations[0] && ts.isTypeAliasDeclaration(aliasDeclarations[0])
        ? aliasDeclarations[0].name.text
        : undefined;
    const named = aliasName ? NAMED_ALIASES[aliasName] : undefined;
    let schema = named ? named() : this.#plainTypeSchema(type, context);
    if (named && type.isUnion() && type.types.some((member) => member.flags & ts.TypeFlags.Null))
      schema.nullable = true;
    for (const declaration of aliasDeclarations) {
      // Library aliases and the SDK's own Int32/Int64/Quantity carry docs for TS users, not for the CRD.
      if (isFromLibrary(declaration) || named) continue;
      const { doc, markers } = this.docOf(declaration);
      if (markers.markers.length === 0 && !doc.description) continue;
      schema = { ...schema };
      if (doc.description) schema.description = doc.description;
      applyFieldMarkers(schema, markers, { ...context, errors: this.#errors });
    }
    return this.#track(schema, context.location);
  }

  #plainTypeSchema(type: ts.Type, context: WalkContext): JsonSchema {
    const flags = type.flags;
    // The checker's error type is an `any` named "error": a typo or a missing import, not a choice.
    if ((type as { intrinsicName?: string }).intrinsicName === 'error')
      return this.#unsupported(
        context,
        `the type ${context.typeNode?.getText() ?? ''} cannot be resolved`.replace('  ', ' '),
        'fix the type name or its import (run tsc to see why)',
      );
    if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))
      return { 'x-kubernetes-preserve-unknown-fields': true };
    if (flags & ts.TypeFlags.Union) return this.#unionSchema(type as ts.UnionType, context);
    if (flags & ts.TypeFlags.StringLiteral)
      return { type: 'string', enum: [(type as ts.StringLiteralType).value] };
    if (flags & ts.TypeFlags.NumberLiteral)
      return { type: 'number', enum: [(type as ts.NumberLiteralType).value] };
    if (flags & ts.TypeFlags.BooleanLiteral)
      return { type: 'boolean', enum: [this.#checker.typeToString(type) === 'true'] };
    if (flags & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral)) return { type: 'string' };
    if (flags & ts.TypeFlags.Number) return { type: 'number' };
    if (flags & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (flags & ts.TypeFlags.BigIntLike)
      return this.#unsupported(
        context,
        'bigint has no JSON form',
        'use number with @format int64, or a string',
      );
    if (flags & ts.TypeFlags.ESSymbolLike)
      return this.#unsupported(context, 'symbols have no JSON form', 'remove the field');
    if (flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Never))
      return this.#unsupported(
        context,
        `the type ${this.#checker.typeToString(type)} has no values to describe`,
        'give the field a real type',
      );
    if (flags & ts.TypeFlags.TypeParameter)
      return this.#unsupported(
        context,
        `the type parameter ${this.#checker.typeToString(type)} is not resolved`,
        'use a concrete type; generic resource types must be instantiated',
      );
    if (flags & ts.TypeFlags.NonPrimitive)
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    if (flags & ts.TypeFlags.Intersection) {
      const parts = (type as ts.IntersectionType).types;
      if (parts.some((part) => !(part.flags & ts.TypeFlags.Object)))
        return this.#unsupported(
          context,
          `the intersection ${this.#checker.typeToString(type)} mixes primitives and objects`,
          'use a plain type; brand types are not supported',
        );
      return this.#objectSchema(type, context);
    }
    if (flags & ts.TypeFlags.Object) return this.#objectLikeSchema(type as ts.ObjectType, context);
    return this.#unsupported(
      context,
      `the type ${this.#checker.typeToString(type)} is not supported`,
      'use strings, numbers, booleans, arrays, Record<string, T> and interfaces',
    );
  }

  #unionSchema(union: ts.UnionType, context: WalkContext): JsonSchema {
    const members = union.types.filter(
      (member) => !(member.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)),
    );
    const nullable = members.some((member) => member.flags & ts.TypeFlags.Null);
    const values = members.filter((member) => !(member.flags & ts.TypeFlags.Null));
    const withNull = (schema: JsonSchema): JsonSchema => (nullable ? { ...schema, nullable: true } : schema);
    const [only] = values;
    if (values.length === 1 && only)
      // Markers of a named alias were applied by the caller (typeSchema); do not apply them twice.
      return withNull(
        this.#plainTypeSchema(only, { ...context, typeNode: unwrapTypeNode(context.typeNode) }),
      );
    const all = (flag: ts.TypeFlags) => values.every((member) => member.flags & flag);
    if (all(ts.TypeFlags.BooleanLike)) {
      const literals = values.map((member) => this.#checker.typeToString(member) === 'true');
      return withNull(
        new Set(literals).size === 2 ? { type: 'boolean' } : { type: 'boolean', enum: literals },
      );
    }
    if (all(ts.TypeFlags.StringLike))
      return withNull(
        all(ts.TypeFlags.StringLiteral)
          ? { type: 'string', enum: values.map((member) => (member as ts.StringLiteralType).value) }
          : { type: 'string' },
      );
    if (all(ts.TypeFlags.NumberLike))
      return withNull(
        all(ts.TypeFlags.NumberLiteral)
          ? { type: 'number', enum: values.map((member) => (member as ts.NumberLiteralType).value) }
          : { type: 'number' },
      );
    if (all(ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike))
      return withNull({ 'x-kubernetes-int-or-string': true });
    const shown = values.map((member) => this.#checker.typeToString(member)).join(' | ');
    return this.#unsupported(
      context,
      `the union ${shown} cannot be expressed as a structural schema (only literal unions, T | null and number | string can)`,
      'use one object type with optional fields (validated with @validation), or mark the field @preserveUnknownFields with type unknown',
    );
  }

  #objectLikeSchema(type: ts.ObjectType, context: WalkContext): JsonSchema {
    const checker = this.#checker;
    if (checker.isTupleType(type))
      return this.#unsupported(
        context,
        'tuples are not supported by structural schemas',
        'use an array T[] or an object with named fields',
      );
    if (checker.isArrayType(type)) {
      const [element] = checker.getTypeArguments(type as ts.TypeReference);
      if (!element) return this.#unsupported(context, 'the array has no element type', 'declare it as T[]');
      const items = this.typeSchema(element, {
        path: `${context.path}[]`,
        location: context.location,
        typeNode: elementTypeNode(context.typeNode),
      });
      return { type: 'array', items };
    }
    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0)
      return this.#unsupported(
        context,
        'functions cannot be part of a resource',
        'remove the field or give it a data type',
      );
    const name = type.getSymbol()?.name ?? '';
    const declaration = type.getSymbol()?.declarations?.[0];
    const fromLibrary = declaration ? isFromLibrary(declaration) : false;
    if (name === 'Date' && fromLibrary) return { type: 'string', format: 'date-time' };
    if (UNSERIALIZABLE.has(name) && fromLibrary)
      return this.#unsupported(
        context,
        `${name} does not serialize to JSON${name === 'Map' ? ' (and maps need string keys)' : ''}`,
        name === 'Map'
          ? 'use Record<string, T>'
          : name === 'Set'
            ? 'use T[] with @listType set'
            : 'use a plain data type',
      );
    if (BINARY.has(name) && fromLibrary)
      return this.#unsupported(context, `${name} is binary data`, 'use a string with @format byte (base64)');
    if (name === 'V1ObjectMeta') return embeddedObjectMetaSchema();
    return this.#objectSchema(type, context);
  }

  #objectSchema(type: ts.Type, context: WalkContext): JsonSchema {
    const cached = this.#objectCache.get(type);
    if (cached) return cached;
    if (this.#inProgress.has(type))
      return this.#unsupported(
        context,
        `the type ${this.#checker.typeToString(type)} refers to itself; structural schemas cannot be recursive`,
        'break the cycle (e.g. limit the depth with separate types) or mark the field @preserveUnknownFields with type unknown',
      );
    this.#inProgress.add(type);
    try {
      const schema = this.#buildObjectSchema(type, context);
      this.#objectCache.set(type, schema);
      return schema;
    } finally {
      this.#inProgress.delete(type);
    }
  }

  #buildObjectSchema(type: ts.Type, context: WalkContext): JsonSchema {
    const checker = this.#checker;
    const indexInfos = checker.getIndexInfosOfType(type);
    const properties = dataProperties(checker, type);
    const schema: JsonSchema = { type: 'object' };
    const symbolDeclaration = type.getSymbol()?.declarations?.[0];
    const typeLocation =
      symbolDeclaration && !ts.isTypeLiteralNode(symbolDeclaration)
        ? locationOf(symbolDeclaration)
        : context.location;
    if (indexInfos.length > 0) {
      const info = indexInfos[0];
      if (indexInfos.length > 1 || !info || !(info.keyType.flags & ts.TypeFlags.String))
        return this.#unsupported(
          context,
          `map keys must be strings, not ${indexInfos.map((i) => checker.typeToString(i.keyType)).join(' | ')}`,
          'use Record<string, T>',
        );
      if (properties.length > 0)
        return this.#unsupported(
          context,
          'an object with both named properties and an index signature is not structural',
          'move the free-form entries into a separate Record<string, T> field',
        );
      const values = this.typeSchema(info.type, {
        path: `${context.path}.*`,
        location: context.location,
        typeNode: valueTypeNode(context.typeNode),
      });
      if (values['x-kubernetes-preserve-unknown-fields'] && values.type === undefined)
        schema['x-kubernetes-preserve-unknown-fields'] = true;
      else schema.additionalProperties = values;
    } else if (properties.length > 0) {
      schema.properties = {};
      const required: string[] = [];
      for (const property of properties) {
        schema.properties[property.name] = this.propertySchema(property, context.path, typeLocation);
        const optional = property.flags & ts.SymbolFlags.Optional;
        if (!optional) required.push(property.name);
      }
      if (required.length > 0) schema.required = required;
    }
    if (
      symbolDeclaration &&
      (ts.isInterfaceDeclaration(symbolDeclaration) || ts.isClassDeclaration(symbolDeclaration))
    ) {
      const { doc, markers } = this.docOf(symbolDeclaration);
      if (doc.description) schema.description = doc.description;
      applyFieldMarkers(schema, markers, { ...context, errors: this.#errors });
    }
    return this.#track(schema, typeLocation);
  }
}

/**
 * The properties that serialize to JSON: public instance members (client-node's static
 * `attributeTypeMap` and friends live on the constructor and are never listed).
 */
export function dataProperties(checker: ts.TypeChecker, type: ts.Type): ts.Symbol[] {
  return checker.getPropertiesOfType(type).filter((property) => {
    if (property.name.startsWith('__') || property.name.startsWith('#')) return false;
    const declaration = property.valueDeclaration;
    const modifiers =
      declaration && ts.canHaveModifiers(declaration) ? ts.getModifiers(declaration) : undefined;
    return !modifiers?.some(
      (m) =>
        m.kind === ts.SyntaxKind.PrivateKeyword ||
        m.kind === ts.SyntaxKind.ProtectedKeyword ||
        m.kind === ts.SyntaxKind.StaticKeyword,
    );
  });
}

/**
 * Whether a node is a resource root: an interface, type alias or class statement whose JSDoc
 * carries `@group`. (`@group` on a property is a misplaced marker, reported as such.)
 */
export function isRootDeclaration(node: ts.Node): boolean {
  if (!ts.isInterfaceDeclaration(node) && !ts.isTypeAliasDeclaration(node) && !ts.isClassDeclaration(node))
    return false;
  return readJsDoc(node).tags.some((tag) => tag.name === 'group');
}
