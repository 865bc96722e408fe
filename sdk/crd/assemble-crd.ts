import type {
  CustomResourceDefinition,
  CustomResourceDefinitionVersion,
} from './custom-resource-definition.ts';
import { ResourceDeclarationError, type CrdSourceError } from './errors.ts';
import type { JsonSchema } from './json-schema.ts';
import type { MarkerName, MarkerValues } from './markers.ts';
import { compareVersions, defaultPlural } from './names.ts';
import type { ResourceVersion } from './resource-version.ts';
import type { SourceLocation } from './source-location.ts';

/** A generated CRD and the TypeScript declarations it came from. */
export interface GeneratedCrd {
  readonly crd: CustomResourceDefinition;
  /** `<plural>.<group>.yaml` */
  readonly fileName: string;
  /** The resource types merged into this CRD, one per version. */
  readonly sources: readonly ResourceVersion[];
}

/** Follows a simple `.a.b.c` JSON path through `properties`; undefined when it leaves the schema. */
function schemaAt(schema: JsonSchema, path: string): JsonSchema | undefined {
  if (!/^(\.[A-Za-z_][\w-]*)+$/.test(path)) return schema; // complex paths are the apiserver's to judge
  let current: JsonSchema | undefined = schema;
  for (const segment of path.slice(1).split('.')) current = current?.properties?.[segment];
  return current;
}

/** The one value several versions agree on for a CRD-wide marker, or an error naming the clash. */
function agreed<N extends MarkerName>(
  versions: readonly ResourceVersion[],
  name: N,
  errors: CrdSourceError[],
): MarkerValues[N] | undefined {
  const found = versions.flatMap((v) => {
    const marker = v.markers.get(name);
    return marker ? [marker] : [];
  });
  const [first] = found;
  for (const other of found.slice(1))
    if (JSON.stringify(other.value) !== JSON.stringify(first?.value))
      errors.push(
        new ResourceDeclarationError(
          other.location,
          '',
          `@${name} ${JSON.stringify(other.value)} differs from ${JSON.stringify(first?.value)} on another version of the same kind`,
          `names and scope belong to the whole CRD; give every version the same @${name} (or write it once)`,
        ),
      );
  return first?.value;
}

/** Scale paths must name integer/string fields, and simple printer-column paths existing fields. */
function checkSubresourcePaths(version: ResourceVersion, errors: CrdSourceError[]): void {
  const fail = (location: SourceLocation, problem: string, fix: string) =>
    errors.push(new ResourceDeclarationError(location, '', problem, fix));
  for (const { value: subresource, location } of version.markers.all('subresource')) {
    if (subresource.kind === 'status') {
      if (!version.schema.properties?.['status'])
        fail(
          location,
          '@subresource status is declared but the type has no status field',
          'add a status field',
        );
      continue;
    }
    const paths: [string, string | undefined, RegExp][] = [
      ['specReplicasPath', subresource.specReplicasPath, /^\.spec\./],
      ['statusReplicasPath', subresource.statusReplicasPath, /^\.status\./],
      ['labelSelectorPath', subresource.labelSelectorPath, /^\.(spec|status)\./],
    ];
    for (const [key, path, prefix] of paths) {
      if (path === undefined) continue;
      if (!prefix.test(path)) {
        fail(
          location,
          `@subresource scale ${key} "${path}" must start with ${prefix.source.slice(1).replaceAll('\\', '')}`,
          `point ${key} at the right field`,
        );
        continue;
      }
      const target = schemaAt(version.schema, path);
      const expected = key === 'labelSelectorPath' ? 'string' : 'integer';
      if (!target)
        fail(
          location,
          `@subresource scale ${key} "${path}" names no field of ${version.typeName}`,
          'fix the path',
        );
      else if (target.type !== expected)
        fail(
          location,
          `@subresource scale ${key} "${path}" must be a field of type ${expected}, but it is ${target.type ?? 'untyped'}`,
          expected === 'integer'
            ? 'declare the field as Int32 or mark it @integer'
            : 'declare it as a string',
        );
    }
  }
  for (const { value: column, location } of version.markers.all('printerColumn'))
    if (!column.jsonPath.startsWith('.metadata.') && !schemaAt(version.schema, column.jsonPath))
      fail(
        location,
        `@printerColumn ${column.name}: jsonPath "${column.jsonPath}" names no field of ${version.typeName}`,
        'fix the jsonPath',
      );
}

function versionEntry(version: ResourceVersion, storage: boolean): CustomResourceDefinitionVersion {
  const entry: CustomResourceDefinitionVersion = {
    name: version.version,
    served: version.served,
    storage,
    schema: { openAPIV3Schema: version.schema },
  };
  if (version.deprecated || version.deprecationWarning !== undefined) entry.deprecated = true;
  if (version.deprecationWarning !== undefined) entry.deprecationWarning = version.deprecationWarning;
  const status = version.subresources.some((s) => s.kind === 'status');
  const scale = version.subresources.find((s) => s.kind === 'scale');
  if (status || scale) {
    entry.subresources = {};
    if (status) entry.subresources.status = {};
    if (scale) {
      const { kind: _kind, ...paths } = scale;
      entry.subresources.scale = paths;
    }
  }
  if (version.printerColumns.length > 0)
    entry.additionalPrinterColumns = version.printerColumns.map((c) => ({ ...c }));
  return entry;
}

/**
 * Merges the versions of each group/kind into one CRD. Exactly one version may be the storage
 * version (implied when there is only one); names and scope must agree across versions.
 */
export function assembleCrds(versions: readonly ResourceVersion[], errors: CrdSourceError[]): GeneratedCrd[] {
  const byKind = new Map<string, ResourceVersion[]>();
  for (const version of versions) {
    const key = `${version.group}/${version.kind}`;
    byKind.set(key, [...(byKind.get(key) ?? []), version]);
  }
  const crds: GeneratedCrd[] = [];
  for (const group of byKind.values()) {
    const sorted = [...group].sort((a, b) => compareVersions(a.version, b.version));
    const [first] = sorted;
    if (!first) continue;
    const before = errors.length;
    const seen = new Map<string, ResourceVersion>();
    for (const version of sorted) {
      const clash = seen.get(version.version);
      if (clash)
        errors.push(
          new ResourceDeclarationError(
            version.location,
            '',
            `${version.group}/${version.version} ${version.kind} is declared twice (also by ${clash.typeName})`,
            'give each type its own @version, or a different @kind',
          ),
        );
      seen.set(version.version, version);
      checkSubresourcePaths(version, errors);
    }
    const storageVersions = sorted.filter((v) => v.storage);
    const storage =
      sorted.length === 1 ? first : storageVersions.length === 1 ? storageVersions[0] : undefined;
    if (!storage)
      errors.push(
        new ResourceDeclarationError(
          (storageVersions[1] ?? first).location,
          '',
          `${first.group} ${first.kind} has ${sorted.length} versions (${sorted.map((v) => v.version).join(', ')}) and ${storageVersions.length === 0 ? 'none' : storageVersions.length} marked @storage`,
          'mark exactly one version with @storage',
        ),
      );
    if (!sorted.some((v) => v.served))
      errors.push(
        new ResourceDeclarationError(
          first.location,
          '',
          `no version of ${first.group} ${first.kind} is served`,
          'remove @served false from one version',
        ),
      );
    const plural = agreed(sorted, 'plural', errors) ?? defaultPlural(first.kind);
    const names: CustomResourceDefinition['spec']['names'] = {
      kind: first.kind,
      listKind: agreed(sorted, 'listKind', errors) ?? `${first.kind}List`,
      plural,
      singular: agreed(sorted, 'singular', errors) ?? first.kind.toLowerCase(),
    };
    const shortNames = agreed(sorted, 'shortNames', errors);
    if (shortNames) names.shortNames = [...shortNames];
    const categories = agreed(sorted, 'categories', errors);
    if (categories) names.categories = [...categories];
    const scope = agreed(sorted, 'scope', errors) ?? 'Namespaced';
    if (errors.length > before) continue;
    crds.push({
      crd: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `${plural}.${first.group}` },
        spec: {
          group: first.group,
          names,
          scope,
          versions: sorted.map((v) => versionEntry(v, v === storage)),
        },
      },
      fileName: `${plural}.${first.group}.yaml`,
      sources: sorted,
    });
  }
  return crds.sort((a, b) => a.fileName.localeCompare(b.fileName));
}
