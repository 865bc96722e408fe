import type { V1ControllerRevision, V1PodTemplateSpec } from '@kubernetes/client-node';
import { canonicalJson, canonicalValue, safeEncode } from '../../deployment/logic/hash.ts';
import { timeMillis } from '../../deployment/logic/timestamps.ts';
import type { StatefulSet } from '../api/types.ts';
import { statefulSetControllerRef } from './identity.ts';

// A StatefulSet versions only its pod template, in ControllerRevisions named <set>-<hash>.
//
// Representation. Upstream stores in `data` the strategic-merge patch
// {"spec":{"template":{...,"$patch":"replace"}}} serialised by Go, and compares revisions byte for
// byte. We store the same shape, but the template is the canonical value (keys sorted; null,
// empty lists and empty objects left out; see hash.ts), and two revisions are equal when their
// data have the same canonical JSON, whoever wrote them and however the apiserver re-serialised
// them. The hash is FNV-1 (upstream's choice; FNV-1a is the pod-template-hash) over that JSON
// followed by the decimal collisionCount, which a StatefulSet always has (0 until a collision),
// rendered like every other hash in the safe alphabet.

/** Label with the revision's hash (the suffix of its name). */
export const CONTROLLER_REVISION_HASH_KEY = 'controller.kubernetes.io/hash';
/** Names are cut to this many characters before `-<hash>`. */
const MAX_NAME_PREFIX = 223;

const FNV_OFFSET_BASIS_32 = 0x811c9dc5;
const FNV_PRIME_32 = 16777619;

/** 32-bit FNV-1 (multiply, then xor) of `bytes`, continuing from `hash`. */
export function fnv1_32(bytes: Uint8Array, hash: number = FNV_OFFSET_BASIS_32): number {
  let h = hash;
  for (const byte of bytes) {
    h = (Math.imul(h, FNV_PRIME_32) ^ byte) >>> 0;
  }
  return h >>> 0;
}

/** The revision data for a template: `{spec: {template: {...canonical template, $patch: 'replace'}}}`. */
export function revisionData(template: V1PodTemplateSpec): Record<string, unknown> {
  const canonical = canonicalValue(template);
  const fields = typeof canonical === 'object' && canonical !== null ? canonical : {};
  return { spec: { template: { $patch: 'replace', ...fields } } };
}

/** The hash of revision data with a collision count, in the safe alphabet (1–10 characters). */
export function revisionHash(data: unknown, collisionCount: number): string {
  const encoder = new TextEncoder();
  const hash = fnv1_32(encoder.encode(String(collisionCount)), fnv1_32(encoder.encode(canonicalJson(data))));
  return safeEncode(String(hash));
}

/** `<prefix>-<hash>`, the prefix cut to 223 characters. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.slice(0, MAX_NAME_PREFIX)}-${hash}`;
}

/**
 * The ControllerRevision for the set's current template: data as revisionData, labels the
 * template's plus the hash label, annotations copied from the set (all of them, as upstream),
 * controlled by the set, named `<set>-<hash>`.
 */
export function newRevision(
  set: StatefulSet,
  revision: number,
  collisionCount: number,
): V1ControllerRevision {
  const data = revisionData(set.spec.template);
  const hash = revisionHash(data, collisionCount);
  const annotations = set.metadata?.annotations;
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(set.metadata?.name ?? '', hash),
      ...(set.metadata?.namespace === undefined ? {} : { namespace: set.metadata.namespace }),
      labels: { ...set.spec.template.metadata?.labels, [CONTROLLER_REVISION_HASH_KEY]: hash },
      ...(annotations === undefined || Object.keys(annotations).length === 0
        ? {}
        : { annotations: { ...annotations } }),
      ownerReferences: [statefulSetControllerRef(set)],
    },
    data,
    revision,
  };
}

/** Same data (canonical JSON), whatever the names, numbers or serialisation. */
export function revisionsEqual(a: V1ControllerRevision, b: V1ControllerRevision): boolean {
  return canonicalJson(a.data) === canonicalJson(b.data);
}

/** Lowest `.revision` first, then older creationTimestamp, then name. */
export function compareRevisions(a: V1ControllerRevision, b: V1ControllerRevision): number {
  if (a.revision !== b.revision) return a.revision - b.revision;
  const ta = timeMillis(a.metadata?.creationTimestamp) ?? 0;
  const tb = timeMillis(b.metadata?.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** A sorted copy (compareRevisions; stable). */
export function sortRevisions(revisions: readonly V1ControllerRevision[]): V1ControllerRevision[] {
  return [...revisions].sort(compareRevisions);
}

/** 1 + the highest `.revision`, or 1 when there is none. */
export function nextRevisionNumber(revisions: readonly V1ControllerRevision[]): number {
  return revisions.reduce((max, r) => Math.max(max, r.revision), 0) + 1;
}

/**
 * The pod template a revision restores. The data is a patch replacing spec.template, so the
 * template is data.spec.template without `$patch`; data without a template object leaves the
 * set's own template in place.
 */
export function revisionTemplate(
  revision: V1ControllerRevision,
  fallback: V1PodTemplateSpec,
): V1PodTemplateSpec {
  const data: unknown = revision.data;
  if (typeof data !== 'object' || data === null) return fallback;
  const spec = (data as { spec?: unknown }).spec;
  if (typeof spec !== 'object' || spec === null) return fallback;
  const template = (spec as { template?: unknown }).template;
  if (typeof template !== 'object' || template === null || Array.isArray(template)) return fallback;
  const { $patch: _patch, ...fields } = template as Record<string, unknown>;
  return fields;
}

/** How the update revision is obtained this sync. */
export type UpdateRevisionChoice =
  /** The newest revision already has the set's template: use it as it is. */
  | { readonly kind: 'latest'; readonly revision: V1ControllerRevision }
  /** An older revision has the template (a rollback): set its `.revision` to `revisionNumber`, keep its name. */
  | { readonly kind: 'rollback'; readonly revision: V1ControllerRevision; readonly revisionNumber: number }
  /** None has it: create `revision` (on a name collision, see onRevisionNameTaken). */
  | { readonly kind: 'create'; readonly revision: V1ControllerRevision };

/** The revisions a sync works with. */
export interface RevisionSelection {
  readonly update: UpdateRevisionChoice;
  /** The revision named status.currentRevision; undefined on the first sync (use the update revision). */
  readonly current?: V1ControllerRevision;
  /** status.collisionCount, 0 when unset (a StatefulSet always writes it). */
  readonly collisionCount: number;
}

/**
 * Chooses the update revision among the set's revisions: the newest if its data equals the
 * template's; otherwise the newest of the older equal ones, renumbered to next (a rollback reuses
 * the earlier revision, its name and so its pods' label); otherwise a new one numbered next. The
 * current revision is the one status.currentRevision names.
 */
export function selectRevisions(
  set: StatefulSet,
  revisions: readonly V1ControllerRevision[],
): RevisionSelection {
  const sorted = sortRevisions(revisions);
  const collisionCount = set.status?.collisionCount ?? 0;
  const next = nextRevisionNumber(sorted);
  const proposed = newRevision(set, next, collisionCount);
  const equal = sorted.filter((r) => revisionsEqual(r, proposed));
  const latest = sorted.at(-1);
  const lastEqual = equal.at(-1);
  let update: UpdateRevisionChoice;
  if (latest !== undefined && lastEqual !== undefined && revisionsEqual(latest, lastEqual)) {
    update = { kind: 'latest', revision: latest };
  } else if (lastEqual !== undefined) {
    update = { kind: 'rollback', revision: lastEqual, revisionNumber: next };
  } else {
    update = { kind: 'create', revision: proposed };
  }
  const currentName = set.status?.currentRevision;
  const current = sorted.find((r) => r.metadata?.name === currentName);
  return { update, ...(current === undefined ? {} : { current }), collisionCount };
}

/** What to do when creating a revision failed because its name exists. */
export type NameTakenOutcome =
  /** The existing revision has the same data: use it. */
  | { readonly kind: 'use-existing' }
  /** A real collision: bump collisionCount and try `revision` (renamed) instead. */
  | { readonly kind: 'retry'; readonly collisionCount: number; readonly revision: V1ControllerRevision };

/** Handles AlreadyExists on a revision create, given the revision found under that name. */
export function onRevisionNameTaken(
  set: StatefulSet,
  existing: V1ControllerRevision,
  attempted: V1ControllerRevision,
  collisionCount: number,
): NameTakenOutcome {
  if (revisionsEqual(existing, attempted)) return { kind: 'use-existing' };
  const bumped = collisionCount + 1;
  return { kind: 'retry', collisionCount: bumped, revision: newRevision(set, attempted.revision, bumped) };
}
