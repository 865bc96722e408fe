// Which RBAC permissions a process needed, read from the apiserver's audit log, and which rules of
// its roles those permissions depend on: a rule no needed permission depends on alone could be
// removed without breaking anything, so it is more than the process needs.
import type { V1PolicyRule } from '@kubernetes/client-node';

/** One authorization decision the apiserver made (or an admission plugin asked for) for a request. */
export interface Permission {
  /** API group, '' for the core group. */
  readonly group: string;
  /** `resource` or `resource/subresource`. */
  readonly resource: string;
  readonly verb: string;
  /** Undefined for cluster-scoped requests and for lists and watches across namespaces. */
  readonly namespace?: string;
}

/** The fields of an audit event (level Request or above) this module reads. */
export interface AuditRequestEvent {
  readonly stage?: string;
  readonly verb?: string;
  readonly requestURI?: string;
  readonly responseStatus?: { readonly code?: number };
  readonly user?: { readonly username?: string };
  readonly objectRef?: {
    readonly apiGroup?: string;
    readonly resource?: string;
    readonly subresource?: string;
    readonly namespace?: string;
  };
  readonly requestObject?: {
    readonly metadata?: {
      readonly ownerReferences?: readonly {
        readonly apiVersion?: string;
        readonly kind?: string;
        readonly blockOwnerDeletion?: boolean;
      }[];
    };
  };
}

/** A rule of a role, with where it comes from for messages. */
export interface NamedRule {
  /** The Role's or ClusterRole's name. */
  readonly role: string;
  /** For messages, e.g. `run-typerator-operators-deployment, rule 3`. */
  readonly name: string;
  readonly rule: V1PolicyRule;
  /** A Role's rules apply in its namespace only; a ClusterRole's everywhere. */
  readonly namespace?: string;
}

export const describePermission = (p: Permission): string =>
  `${p.verb} ${p.group || 'core'}/${p.resource}${p.namespace ? ` in ${p.namespace}` : ''}`;

const key = (p: Permission) => `${p.verb} ${p.group} ${p.resource} ${p.namespace ?? ''}`;

/**
 * The permissions `username`'s requests needed: each request's own verb on its resource, and for a
 * write that sets an ownerReference with blockOwnerDeletion, `update` on the owner's finalizers
 * (what the OwnerReferencesPermissionEnforcement admission plugin checks). `pluralOf` maps an
 * owner's apiVersion and kind to its resource name.
 */
export function neededPermissions(
  events: readonly AuditRequestEvent[],
  username: string,
  pluralOf: (apiVersion: string, kind: string) => string,
): Permission[] {
  const needed = new Map<string, Permission>();
  const add = (p: Permission) => needed.set(key(p), p);
  for (const event of events) {
    const { objectRef, verb } = event;
    if (event.stage !== 'ResponseComplete' || event.user?.username !== username) continue;
    if (!objectRef?.resource || !verb) continue; // discovery and other non-resource requests
    const namespace = objectRef.namespace;
    add({
      group: objectRef.apiGroup ?? '',
      resource: objectRef.subresource ? `${objectRef.resource}/${objectRef.subresource}` : objectRef.resource,
      verb,
      ...(namespace ? { namespace } : {}),
    });
    if (!['create', 'update', 'patch'].includes(verb)) continue;
    for (const owner of event.requestObject?.metadata?.ownerReferences ?? []) {
      if (!owner.blockOwnerDeletion || !owner.apiVersion || !owner.kind) continue;
      const group = owner.apiVersion.includes('/') ? (owner.apiVersion.split('/')[0] ?? '') : '';
      add({
        group,
        resource: `${pluralOf(owner.apiVersion, owner.kind)}/finalizers`,
        verb: 'update',
        ...(namespace ? { namespace } : {}),
      });
    }
  }
  return [...needed.values()].sort((a, b) => key(a).localeCompare(key(b)));
}

const matches = (allowed: readonly string[] | undefined, value: string) =>
  (allowed ?? []).some((entry) => entry === '*' || entry === value);

/** Whether `rule` grants `permission` (resourceNames and non-resource URLs aside). */
export function grants(named: NamedRule, permission: Permission): boolean {
  const { rule } = named;
  if (named.namespace !== undefined && permission.namespace !== named.namespace) return false;
  if (rule.resourceNames?.length) return false;
  return (
    matches(rule.apiGroups, permission.group) &&
    matches(rule.resources, permission.resource) &&
    matches(rule.verbs, permission.verb)
  );
}

/**
 * For each rule of `checked`, the needed permissions that only it grants among `all` (every rule
 * bound to the subject): removing the rule refuses exactly those. An empty list means the rule
 * could go without any request being refused.
 */
export function permissionsOnlyGrantedBy(
  checked: readonly NamedRule[],
  all: readonly NamedRule[],
  needed: readonly Permission[],
): Map<NamedRule, Permission[]> {
  return new Map(
    checked.map((rule) => [
      rule,
      needed.filter((p) => grants(rule, p) && !all.some((other) => other !== rule && grants(other, p))),
    ]),
  );
}
