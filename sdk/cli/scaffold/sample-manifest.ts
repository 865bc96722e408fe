import type { ApiFields } from './api-types.ts';
import type { KindNames } from './kind-names.ts';

/** samples/<kind>.yaml: an object `typerator dev` applies (or `kubectl apply -f samples/`). */
export function sampleManifest(names: KindNames, fields: ApiFields): string {
  const spec = fields === 'example' ? '  color: blue' : '  message: hello';
  return `apiVersion: ${names.apiVersion}
kind: ${names.kind}
metadata:
  name: example
spec:
${spec}
`;
}
