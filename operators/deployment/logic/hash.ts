import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { POD_TEMPLATE_HASH_LABEL } from './annotations.ts';

// Upstream hashes a Go reflection dump of the template, which TypeScript cannot reproduce. We hash
// a canonical JSON instead: same format, same stability guarantees, different values.

const FNV_OFFSET_BASIS_32 = 0x811c9dc5;
const FNV_PRIME_32 = 16777619;
/** The apiserver's generateName alphabet: no vowels (no words) and no easily confused characters. */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The value with object keys sorted and absent-like values removed: undefined, null, empty arrays
 * and empty objects. Go's semantic equality treats nil and empty slices and maps alike, and JSON
 * that went through the apiserver may or may not carry them, so neither hash nor equality may
 * depend on them. Dates become their ISO strings.
 */
export function canonicalValue(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    // Elements keep their positions (an empty element is still an element).
    const items = value.map((item: unknown) => canonicalValue(item) ?? null);
    return items.length === 0 ? undefined : items;
  }
  if (typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => [key, canonicalValue((value as Record<string, unknown>)[key])] as const)
      .filter(([, item]) => item !== undefined);
    return entries.length === 0 ? undefined : Object.fromEntries(entries);
  }
  return value;
}

/** JSON of the canonical value (sorted keys, absent-like values removed); "null" for nothing. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalValue(value) ?? null);
}

/** 32-bit FNV-1a of `bytes`, continuing from `hash` (the offset basis for a fresh hash). */
export function fnv1a32(bytes: Uint8Array, hash: number = FNV_OFFSET_BASIS_32): number {
  let h = hash;
  for (const byte of bytes) {
    h = Math.imul(h ^ byte, FNV_PRIME_32) >>> 0;
  }
  return h >>> 0;
}

/** Maps every character to SAFE_ALPHABET by its code modulo 27, like the apiserver's SafeEncodeString. */
export function safeEncode(text: string): string {
  let encoded = '';
  for (let i = 0; i < text.length; i++) {
    encoded += SAFE_ALPHABET.charAt(text.charCodeAt(i) % SAFE_ALPHABET.length);
  }
  return encoded;
}

/** A copy of the template without the pod-template-hash label. */
export function withoutHashLabel(template: V1PodTemplateSpec): V1PodTemplateSpec {
  const labels = template.metadata?.labels;
  if (labels === undefined || !(POD_TEMPLATE_HASH_LABEL in labels)) return template;
  const { [POD_TEMPLATE_HASH_LABEL]: _hash, ...rest } = labels;
  return { ...template, metadata: { ...template.metadata, labels: rest } };
}

/**
 * The pod-template-hash for a Deployment's template: FNV-1a (32 bit) over the canonical JSON of the
 * template (its own hash label ignored), followed by 8 bytes holding collisionCount as a
 * little-endian uint32 when it is set. Unset and 0 differ on purpose, as upstream: the first
 * collision must change the hash. Rendered as the decimal digits mapped through SAFE_ALPHABET,
 * so 1 to 10 characters from {4,5,6,7,8,9,b,c,d,f}.
 */
export function podTemplateHash(template: V1PodTemplateSpec, collisionCount?: number): string {
  let hash = fnv1a32(new TextEncoder().encode(canonicalJson(withoutHashLabel(template))));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv1a32(bytes, hash);
  }
  return safeEncode(String(hash));
}

/**
 * Whether two pod templates are the same apart from their pod-template-hash labels; this is how a
 * Deployment recognises the ReplicaSet that runs its current template.
 */
export function templatesEqualIgnoringHash(
  a: V1PodTemplateSpec | undefined,
  b: V1PodTemplateSpec | undefined,
): boolean {
  const strip = (t: V1PodTemplateSpec | undefined) => (t === undefined ? undefined : withoutHashLabel(t));
  return canonicalJson(strip(a)) === canonicalJson(strip(b));
}
