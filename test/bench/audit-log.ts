import { auditEvents as readAuditLog } from '../support/audit-events.ts';
import { auditLogFlags } from '../support/audit-log-flags.ts';

/** The fields of an apiserver audit event (JSON-lines log backend) the benchmarks read. */
export interface AuditEvent {
  readonly stage?: string;
  readonly verb?: string;
  readonly userAgent?: string;
  readonly requestURI?: string;
  readonly requestReceivedTimestamp?: string;
  readonly objectRef?: { namespace?: string; resource?: string; subresource?: string };
  readonly responseStatus?: { code?: number };
}

/** Every event of an audit log, oldest first; none when the file does not exist (yet). */
export const auditEvents = (file: string): AuditEvent[] => readAuditLog<AuditEvent>(file);

/** `resource[/subresource]`, or the path for requests without an object (discovery). */
export function requestTarget(event: AuditEvent): string {
  const { objectRef } = event;
  if (!objectRef) return (event.requestURI ?? '?').split('?')[0] ?? '?';
  return `${objectRef.resource ?? '?'}${objectRef.subresource ? `/${objectRef.subresource}` : ''}`;
}

/** How many times each key occurs. */
export function countBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The sum of a count table. */
export const total = (counts: ReadonlyMap<string, number>): number =>
  [...counts.values()].reduce((a, b) => a + b, 0);

/** The median (mean of the two middle values for an even count; 0 for none). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * Writes into `folder` an audit policy that logs request metadata (every stage but RequestReceived)
 * for `namespaces` only, and returns the kube-apiserver flags that apply it with a JSON-lines log
 * in blocking mode (so a request is logged before it is answered), and that log's path.
 */
export function namespaceAuditLog(
  folder: string,
  namespaces: readonly string[],
): { readonly auditLog: string; readonly apiServerArgs: string[] } {
  return auditLogFlags(folder, [
    `- level: Metadata`,
    `  namespaces: [${namespaces.join(', ')}]`,
    '- level: None',
  ]);
}

/** Whose requests to count: those in `namespace` whose user agent starts with `userAgent`. */
export interface RequestSource {
  readonly namespace: string;
  readonly userAgent: string;
}

/**
 * The source's non-watch requests received in [from, to] (ms since the epoch), by
 * `verb resource[/subresource]`, a 409 answer counted apart (as `… (409)`).
 */
export function countRequests(
  auditLog: string,
  source: RequestSource,
  from: number,
  to: number,
): Map<string, number> {
  const requests = auditEvents(auditLog).filter((event) => {
    if (event.stage !== 'ResponseComplete' || event.verb === 'watch') return false;
    if (event.objectRef?.namespace !== source.namespace) return false;
    if (!(event.userAgent ?? '').startsWith(source.userAgent)) return false;
    const at = Date.parse(event.requestReceivedTimestamp ?? '');
    return at >= from && at <= to;
  });
  return countBy(
    requests,
    (event) =>
      `${event.verb ?? '?'} ${requestTarget(event)}${event.responseStatus?.code === 409 ? ' (409)' : ''}`,
  );
}
