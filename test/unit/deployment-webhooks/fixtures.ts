import type {
  Deployment,
  DeploymentSpec,
  ReplicaSet,
  ReplicaSetSpec,
} from '../../../operators/deployment/api/types.ts';

const labels = { app: 'web' };
const template = { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } };

/** A valid Deployment with `spec` overrides. */
export function deployment(spec: Partial<DeploymentSpec> = {}): Deployment {
  return {
    apiVersion: 'apps.typerator.dev/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { matchLabels: labels }, template, ...spec },
  };
}

/** A valid ReplicaSet with `spec` overrides. */
export function replicaSet(spec: Partial<ReplicaSetSpec> = {}): ReplicaSet {
  return {
    apiVersion: 'apps.typerator.dev/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { matchLabels: labels }, template, ...spec },
  };
}
