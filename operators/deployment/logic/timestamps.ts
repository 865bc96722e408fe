/**
 * A Kubernetes timestamp as milliseconds since the epoch, or undefined when unset or unparseable.
 * Accepts both forms found at run time: RFC 3339 strings (raw JSON from the apiserver) and Dates
 * (what client-node's types promise).
 */
export function timeMillis(value: Date | string | null | undefined): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Formats milliseconds as the apiserver stores metav1.Time: RFC 3339 at second precision. */
export function formatTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
