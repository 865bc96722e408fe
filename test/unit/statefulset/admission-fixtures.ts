import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { StatefulSet, StatefulSetSpec } from '../../../operators/statefulset/api/types.ts';

const labels = { app: 'web' };

/**
 * A valid StatefulSet as a user writes it (nothing defaulted): `web` in `default`, selector
 * app=web, a headless service name and one claim template `data`, with `spec` overrides.
 */
export function admittedSet(spec: Partial<StatefulSetSpec> = {}, metadata: V1ObjectMeta = {}): StatefulSet {
  return {
    apiVersion: 'apps.typerator.dev/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', ...metadata },
    spec: {
      serviceName: 'web',
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
      ...spec,
    },
  };
}
