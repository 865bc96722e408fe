import type { V1PolicyRule } from '@kubernetes/client-node';
import type { ResourceKind } from '../client/resource-kind.ts';

/** What a controller does with a kind, which decides the verbs it needs. */
export type KindRole = 'for' | 'owns' | 'watches';

/** One kind a controller uses, and how. */
export interface KindUse {
  readonly kind: ResourceKind;
  readonly role: KindRole;
}

/** An explicitly declared permission, for what the builder cannot see (e.g. reading Secrets). */
export interface Permission {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

const READ = ['get', 'list', 'watch'];
const VERBS: Record<KindRole, readonly string[]> = {
  // The reconciled kind: read it, write it (finalizers, annotations) and its status.
  for: [...READ, 'update', 'patch'],
  // Children: the controller creates, changes and deletes them.
  owns: [...READ, 'create', 'update', 'patch', 'delete'],
  watches: READ,
};
const VERB_ORDER = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/** The kind's plural, declared or derived by the English rules Kubernetes' own code generators use. */
export function pluralOf(kind: ResourceKind): { plural: string; guessed: boolean } {
  if (kind.plural) return { plural: kind.plural, guessed: false };
  const lower = kind.kind.toLowerCase();
  if (/[^aeiou]y$/.test(lower)) return { plural: `${lower.slice(0, -1)}ies`, guessed: true };
  if (/(s|x|z|ch|sh)$/.test(lower)) return { plural: `${lower}es`, guessed: true };
  return { plural: `${lower}s`, guessed: true };
}

/** The permissions derived from kind uses, plus explicit ones; merged, deduplicated, sorted. */
export function policyRules(
  uses: readonly KindUse[],
  extra: readonly Permission[] = [],
): { rules: V1PolicyRule[]; guessedPlurals: string[] } {
  const verbsByResource = new Map<string, Set<string>>();
  const grant = (group: string, resource: string, verbs: readonly string[]) => {
    const key = `${group}\u0000${resource}`;
    const set = verbsByResource.get(key) ?? new Set<string>();
    for (const verb of verbs) set.add(verb);
    verbsByResource.set(key, set);
  };
  const guessedPlurals: string[] = [];
  // Children set blockOwnerDeletion on their owner, which needs update on the owner's finalizers
  // (where OwnerReferencesPermissionEnforcement is on): only a manager that owns children needs it.
  const ownsChildren = uses.some((use) => use.role === 'owns');
  for (const { kind, role } of uses) {
    const { plural, guessed } = pluralOf(kind);
    if (guessed && !guessedPlurals.includes(`${kind.kind} → ${plural}`))
      guessedPlurals.push(`${kind.kind} → ${plural}`);
    grant(kind.group, plural, VERBS[role]);
    if (role === 'for') {
      grant(kind.group, `${plural}/status`, ['get', 'update', 'patch']);
      if (ownsChildren) grant(kind.group, `${plural}/finalizers`, ['update']);
    }
  }
  for (const permission of extra) {
    for (const group of permission.apiGroups)
      for (const resource of permission.resources) grant(group, resource, permission.verbs);
  }
  // One rule per (group, verb set), listing its resources.
  const rules = new Map<string, { group: string; verbs: string[]; resources: string[] }>();
  for (const [key, verbs] of verbsByResource) {
    const [group = '', resource = ''] = key.split('\u0000');
    const sorted = [...verbs].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
    const ruleKey = `${group}\u0000${sorted.join(',')}`;
    const rule = rules.get(ruleKey) ?? { group, verbs: sorted, resources: [] };
    rule.resources.push(resource);
    rules.set(ruleKey, rule);
  }
  return {
    rules: [...rules.values()]
      .map((r) => ({ apiGroups: [r.group], resources: r.resources.sort(), verbs: r.verbs }))
      .sort(
        (a, b) =>
          (a.apiGroups[0] ?? '').localeCompare(b.apiGroups[0] ?? '') ||
          (a.resources[0] ?? '').localeCompare(b.resources[0] ?? ''),
      ),
    guessedPlurals,
  };
}

function order(verb: string): number {
  const index = VERB_ORDER.indexOf(verb);
  return index < 0 ? VERB_ORDER.length : index;
}
