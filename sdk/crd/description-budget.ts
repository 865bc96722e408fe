import type { CustomResourceDefinition } from './custom-resource-definition.ts';
import { InvalidOptionError } from './errors.ts';
import type { JsonSchema } from './json-schema.ts';

const ELLIPSIS = '...';

/** Throws {@link InvalidOptionError} unless `limit` is a non-negative integer. */
export function checkMaxDescriptionLength(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 0)
    throw new InvalidOptionError('maxDescriptionLength', limit, 'must be a non-negative integer');
}

/**
 * `text` in at most `limit` characters. Longer text is cut at the last whitespace that leaves room
 * for a trailing "..." (dropping a comma, colon or semicolon before it), or hard when there is
 * none; a limit of 3 or less keeps the first `limit` characters without "...". Returns undefined
 * for a limit of 0.
 */
export function shortenDescription(text: string, limit: number): string | undefined {
  if (limit === 0) return undefined;
  if (text.length <= limit) return text;
  const room = limit - ELLIPSIS.length;
  if (room <= 0) return text.slice(0, limit);
  // A whitespace at index `room` still leaves a clean cut, hence `room + 1`.
  const head = text.slice(0, room + 1);
  const space = head.search(/\s\S*$/);
  // "If the operator is Exists,..." reads worse than "If the operator is Exists...".
  const kept = space > 0 ? text.slice(0, space).replace(/[\s,;:]+$/, '') : '';
  return `${kept || text.slice(0, room)}${ELLIPSIS}`;
}

function subschemas(schema: JsonSchema): JsonSchema[] {
  const found: JsonSchema[] = [];
  if (schema.properties) found.push(...Object.values(schema.properties));
  if (schema.items) found.push(schema.items);
  if (typeof schema.additionalProperties === 'object') found.push(schema.additionalProperties);
  found.push(...(schema.anyOf ?? []), ...(schema.allOf ?? []), ...(schema.oneOf ?? []));
  if (schema.not) found.push(schema.not);
  return found;
}

/** Shortens, in place, every description in `schema` and its nested schemas to `limit` characters. */
export function limitSchemaDescriptions(schema: JsonSchema, limit: number): void {
  const pending = [schema];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.description !== undefined) {
      const shortened = shortenDescription(next.description, limit);
      if (shortened === undefined) delete next.description;
      else next.description = shortened;
    }
    pending.push(...subschemas(next));
  }
}

/**
 * Shortens, in place, the descriptions of every version's openAPIV3Schema (printer columns keep
 * theirs). Big embedded types (a pod template) carry hundreds of kilobytes of upstream
 * documentation; without a budget a CRD can outgrow the 256 KiB annotation `kubectl apply` writes.
 */
export function limitCrdDescriptions(crd: CustomResourceDefinition, limit: number): void {
  checkMaxDescriptionLength(limit);
  for (const version of crd.spec.versions) limitSchemaDescriptions(version.schema.openAPIV3Schema, limit);
}
