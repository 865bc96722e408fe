import type {
  CoreV1Event,
  KubernetesObject,
  V1ClusterRole,
  V1ClusterRoleBinding,
  V1Role,
  V1ConfigMap,
  V1ControllerRevision,
  V1CustomResourceDefinition,
  V1Deployment,
  V1Lease,
  V1MutatingWebhookConfiguration,
  V1Namespace,
  V1Node,
  V1PersistentVolumeClaim,
  V1Pod,
  V1ReplicaSet,
  V1ResourceQuota,
  V1Secret,
  V1Service,
  V1ServiceAccount,
  V1StatefulSet,
  V1ValidatingWebhookConfiguration,
} from '@kubernetes/client-node';

/**
 * A kind of Kubernetes object, carrying its TypeScript type so clients and informers built from it
 * are typed end to end: `client.resource(kinds.ConfigMap)` is a `ResourceClient<V1ConfigMap>`.
 */
export interface ResourceKind<T extends KubernetesObject = KubernetesObject> {
  /** API group; `''` for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Plural resource name (e.g. `deployments`), when known without discovery; used for RBAC. */
  readonly plural?: string;
  /** Phantom field: never set, only carries `T` for the type checker. */
  readonly __object?: T;
}

/** Declares a kind from its apiVersion (`v1`, `apps/v1`, `example.com/v1alpha1`) and kind. */
export function resourceKind<T extends KubernetesObject>(
  apiVersion: string,
  kind: string,
  plural?: string,
): ResourceKind<T> {
  const slash = apiVersion.indexOf('/');
  const groupVersion =
    slash < 0
      ? { group: '', version: apiVersion }
      : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
  return { ...groupVersion, kind, ...(plural ? { plural } : {}) };
}

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(kind: Pick<ResourceKind, 'group' | 'version'>): string {
  return kind.group ? `${kind.group}/${kind.version}` : kind.version;
}

/** `Deployment.v1.apps`-style text for logs and errors. */
export function describeKind(kind: Pick<ResourceKind, 'group' | 'version' | 'kind'>): string {
  return [kind.kind, kind.version, kind.group].filter(Boolean).join('.');
}

/** Built-in kinds the SDK and its examples use. */
export const kinds = {
  Namespace: resourceKind<V1Namespace>('v1', 'Namespace', 'namespaces'),
  ConfigMap: resourceKind<V1ConfigMap>('v1', 'ConfigMap', 'configmaps'),
  Secret: resourceKind<V1Secret>('v1', 'Secret', 'secrets'),
  Pod: resourceKind<V1Pod>('v1', 'Pod', 'pods'),
  Service: resourceKind<V1Service>('v1', 'Service', 'services'),
  ServiceAccount: resourceKind<V1ServiceAccount>('v1', 'ServiceAccount', 'serviceaccounts'),
  Node: resourceKind<V1Node>('v1', 'Node', 'nodes'),
  PersistentVolumeClaim: resourceKind<V1PersistentVolumeClaim>(
    'v1',
    'PersistentVolumeClaim',
    'persistentvolumeclaims',
  ),
  Event: resourceKind<CoreV1Event>('v1', 'Event', 'events'),
  Deployment: resourceKind<V1Deployment>('apps/v1', 'Deployment', 'deployments'),
  ReplicaSet: resourceKind<V1ReplicaSet>('apps/v1', 'ReplicaSet', 'replicasets'),
  StatefulSet: resourceKind<V1StatefulSet>('apps/v1', 'StatefulSet', 'statefulsets'),
  ControllerRevision: resourceKind<V1ControllerRevision>(
    'apps/v1',
    'ControllerRevision',
    'controllerrevisions',
  ),
  ResourceQuota: resourceKind<V1ResourceQuota>('v1', 'ResourceQuota', 'resourcequotas'),
  Lease: resourceKind<V1Lease>('coordination.k8s.io/v1', 'Lease', 'leases'),
  ClusterRole: resourceKind<V1ClusterRole>('rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles'),
  Role: resourceKind<V1Role>('rbac.authorization.k8s.io/v1', 'Role', 'roles'),
  ClusterRoleBinding: resourceKind<V1ClusterRoleBinding>(
    'rbac.authorization.k8s.io/v1',
    'ClusterRoleBinding',
    'clusterrolebindings',
  ),
  MutatingWebhookConfiguration: resourceKind<V1MutatingWebhookConfiguration>(
    'admissionregistration.k8s.io/v1',
    'MutatingWebhookConfiguration',
    'mutatingwebhookconfigurations',
  ),
  ValidatingWebhookConfiguration: resourceKind<V1ValidatingWebhookConfiguration>(
    'admissionregistration.k8s.io/v1',
    'ValidatingWebhookConfiguration',
    'validatingwebhookconfigurations',
  ),
  CustomResourceDefinition: resourceKind<V1CustomResourceDefinition>(
    'apiextensions.k8s.io/v1',
    'CustomResourceDefinition',
  ),
} as const;
