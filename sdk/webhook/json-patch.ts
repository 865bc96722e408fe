import jsonPatch, { type Operation } from 'fast-json-patch';

/** An RFC 6902 operation, as sent to the apiserver. */
export type JsonPatchOperation = Operation;

/**
 * The RFC 6902 patch turning `original` into `changed`. Both go through a JSON round trip first so
 * `undefined` fields, class instances and dates compare as the apiserver will see them.
 */
export function jsonPatchBetween(original: unknown, changed: unknown): JsonPatchOperation[] {
  const before = JSON.parse(JSON.stringify(original ?? null)) as object;
  const after = JSON.parse(JSON.stringify(changed ?? null)) as object;
  return jsonPatch.compare(before, after);
}
