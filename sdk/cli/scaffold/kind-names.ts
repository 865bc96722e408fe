import { defaultPlural } from '../../crd/names.ts';
import { ScaffoldError } from './scaffold-error.ts';

/** Every spelling of one kind the generated files use. */
export interface KindNames {
  /** PascalCase, as in `kind: Widget`. */
  readonly kind: string;
  /** File-name stem: `DatabaseBackup` → `database-backup`. */
  readonly fileStem: string;
  /** Identifier stem: `DatabaseBackup` → `databaseBackup`. */
  readonly variable: string;
  /** Prefix of the constants the API types module exports: `DATABASE_BACKUP`. */
  readonly constant: string;
  /** Lowercase plural, as the CRD generator derives it (`widgets`, `policies`). */
  readonly plural: string;
  readonly group: string;
  readonly version: string;
  /** `group/version`. */
  readonly apiVersion: string;
}

const PASCAL_CASE = /^[A-Z][A-Za-z0-9]*$/;
// A kind's plural is a DNS label in the CRD's name (<plural>.<group>), so 63 characters at most.
const MAX_KIND_LENGTH = 60;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;
const API_VERSION = /^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;

/** `HTTPRoute` → `http-route`, `DatabaseBackup` → `database-backup`. */
function kebabCase(kind: string): string {
  return kind
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
}

/** `http-route` → `httpRoute`. */
function camelCase(kebab: string): string {
  return kebab.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** Refuses a kind that is not PascalCase (`Widget`, `DatabaseBackup`). */
export function checkKind(kind: string): string {
  if (!PASCAL_CASE.test(kind) || kind.length > MAX_KIND_LENGTH)
    throw new ScaffoldError(
      `"${kind}" is not a valid kind: write it in PascalCase, a capital letter then letters and digits, ` +
        `e.g. Widget or DatabaseBackup (at most ${MAX_KIND_LENGTH} characters)`,
    );
  return kind;
}

/** Refuses an API group that is not a DNS subdomain with a dot (`widgets.example.com`). */
export function checkGroup(group: string): string {
  if (!DNS_SUBDOMAIN.test(group) || group.length > 253)
    throw new ScaffoldError(
      `"${group}" is not a valid API group: pass --group with a lowercase DNS name that has a dot, e.g. shop.example.com`,
    );
  return group;
}

/** Refuses a version Kubernetes would not order (`v1`, `v1beta1`, `v2alpha1`). */
export function checkApiVersion(version: string): string {
  if (!API_VERSION.test(version))
    throw new ScaffoldError(
      `"${version}" is not a valid API version: use v1, v1beta1, v2alpha1 and the like`,
    );
  return version;
}

/** The names of `kind` in `group`/`version`, after checking all three. */
export function kindNames(kind: string, group: string, version: string): KindNames {
  checkKind(kind);
  checkGroup(group);
  checkApiVersion(version);
  const fileStem = kebabCase(kind);
  return {
    kind,
    fileStem,
    variable: camelCase(fileStem),
    constant: fileStem.toUpperCase().replaceAll('-', '_'),
    plural: defaultPlural(kind),
    group,
    version,
    apiVersion: `${group}/${version}`,
  };
}
