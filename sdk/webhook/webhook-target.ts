import type { V1LabelSelector } from '@kubernetes/client-node';
import type { AdmissionOperation, GroupVersionKind } from './admission-review.ts';

/** How the apiserver treats a webhook that cannot be reached or errors. */
export type FailurePolicy = 'Fail' | 'Ignore';
/** Whether calling the webhook has side effects the apiserver must know about for dry runs. */
export type SideEffects = 'None' | 'NoneOnDryRun';
/** Whether a webhook also sees requests made through another version of the same resource. */
export type MatchPolicy = 'Equivalent' | 'Exact';
/** Which objects a rule covers by scope. */
export type RuleScope = 'Namespaced' | 'Cluster' | '*';

/** The kind an admission handler is for, and how it is registered with the apiserver. */
export interface AdmissionTarget extends GroupVersionKind {
  /** Plural resource name for the rule, e.g. `configmaps`; default derived from `kind`. */
  readonly resource?: string;
  /** URL path; default `/validate-<group>-<version>-<kind>` or `/mutate-…`, like controller-runtime. */
  readonly path?: string;
  /** Webhook name in the configuration (a DNS subdomain); default `<verb>.<kind>.<version>.<group|core>`. */
  readonly name?: string;
  /** Operations the rule matches; default CREATE and UPDATE. */
  readonly operations?: readonly AdmissionOperation[];
  readonly scope?: RuleScope;
  /** Default `Fail`. */
  readonly failurePolicy?: FailurePolicy;
  /** Default `None`. */
  readonly sideEffects?: SideEffects;
  /** How long the apiserver waits, 1–30; default 10. */
  readonly timeoutSeconds?: number;
  /** Default `Equivalent`. */
  readonly matchPolicy?: MatchPolicy;
  readonly namespaceSelector?: V1LabelSelector;
  readonly objectSelector?: V1LabelSelector;
  /** This handler's own time budget; default the server's `handlerTimeoutMs`. */
  readonly handlerTimeoutMs?: number;
}

/** The custom resource a conversion handler is for. */
export interface ConversionTarget {
  readonly group: string;
  readonly kind: string;
  /** URL path; default `/convert-<group>-<kind>`. */
  readonly path?: string;
  /** This converter's own time budget; default the server's `handlerTimeoutMs`. */
  readonly handlerTimeoutMs?: number;
}

const pathGroup = (group: string) => group.replaceAll('.', '-');

/** `/validate-<group with dashes>-<version>-<kind lowercased>`; the core group is empty, as in controller-runtime. */
export function admissionPath(verb: 'validate' | 'mutate', gvk: GroupVersionKind): string {
  return `/${verb}-${pathGroup(gvk.group)}-${gvk.version}-${gvk.kind.toLowerCase()}`;
}

/** `/convert-<group with dashes>-<kind lowercased>`. */
export function conversionPath(target: { group: string; kind: string }): string {
  return `/convert-${pathGroup(target.group)}-${target.kind.toLowerCase()}`;
}

/** A best-effort English plural of a kind, e.g. `Policy` → `policies`; pass `resource` when it differs. */
export function pluralResource(kind: string): string {
  const lower = kind.toLowerCase();
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}

/** A webhook name unique per verb, kind and version, with the three dot-separated segments the API requires. */
export function defaultWebhookName(verb: 'validate' | 'mutate', gvk: GroupVersionKind): string {
  return `${verb}.${gvk.kind.toLowerCase()}.${gvk.version}.${gvk.group || 'core'}`;
}
