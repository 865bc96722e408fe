import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes into `folder` an audit policy with `rules` (YAML list items, e.g. `- level: Metadata`),
 * every stage but RequestReceived, and returns the kube-apiserver flags that apply it with a
 * JSON-lines log in blocking mode (a request is logged before it is answered), never rotated, and
 * the log's path.
 */
export function auditLogFlags(
  folder: string,
  rules: readonly string[],
): { readonly auditLog: string; readonly apiServerArgs: string[] } {
  const policy = join(folder, 'audit-policy.yaml');
  const auditLog = join(folder, 'audit.log');
  writeFileSync(
    policy,
    [
      'apiVersion: audit.k8s.io/v1',
      'kind: Policy',
      'omitStages: [RequestReceived]',
      'rules:',
      ...rules.map((rule) => `  ${rule}`),
      '',
    ].join('\n'),
  );
  return {
    auditLog,
    apiServerArgs: [
      `--audit-policy-file=${policy}`,
      `--audit-log-path=${auditLog}`,
      '--audit-log-format=json',
      '--audit-log-mode=blocking',
      // The log rotates at 100 MB unless told otherwise, and readers read only this file: a 50k-item
      // benchmark run writes more than that.
      '--audit-log-maxsize=10240',
    ],
  };
}
