import { existsSync, readFileSync } from 'node:fs';
import type { AuditRequestEvent } from './rbac-coverage.ts';

/**
 * Every event of a JSON-lines audit log (see auditLogFlags), oldest first; none before it exists.
 * `T` names the fields the caller reads.
 */
export function auditEvents<T extends object = AuditRequestEvent>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}
