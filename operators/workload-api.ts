import { resourceKind, type ResourceKind } from '../sdk/client/resource-kind.ts';
import { API_VERSION, type Deployment, type ReplicaSet } from './deployment/api/types.ts';
import type { StatefulSet } from './statefulset/api/types.ts';

/**
 * The kinds the workload controllers reconcile: our custom resources (`apps.typerator.dev/v1`), or,
 * in drop-in mode, the built-in `apps/v1` Deployment, ReplicaSet and StatefulSet in place of
 * kube-controller-manager's controllers. The same logic serves both; what differs between a CRD
 * and a built-in kind is described here and nowhere else.
 */
export interface WorkloadApi {
  /** `apps.typerator.dev/v1` or `apps/v1`: owner references and claimed children name it. */
  readonly apiVersion: string;
  readonly deployment: ResourceKind<Deployment>;
  readonly replicaSet: ResourceKind<ReplicaSet>;
  readonly statefulSet: ResourceKind<StatefulSet>;
  /**
   * Whether the StatefulSet status carries `selector`: our CRD's scale subresource reads it there;
   * apps/v1 computes its scale selector and has no such status field (a write of one would be
   * dropped, and would differ from the stored status forever).
   */
  readonly statusSelector: boolean;
  /**
   * A controller's name for these kinds (metrics, logs): `deployment` for ours, `deployment-apps-v1`
   * for the built-in ones, so one manager can run both modes.
   */
  controllerName(base: string): string;
}

function workloadApi(apiVersion: string, statusSelector: boolean, nameSuffix: string): WorkloadApi {
  return {
    apiVersion,
    controllerName: (base) => `${base}${nameSuffix}`,
    deployment: resourceKind<Deployment>(apiVersion, 'Deployment', 'deployments'),
    replicaSet: resourceKind<ReplicaSet>(apiVersion, 'ReplicaSet', 'replicasets'),
    statefulSet: resourceKind<StatefulSet>(apiVersion, 'StatefulSet', 'statefulsets'),
    statusSelector,
  };
}

/** Our custom resources: the default. */
export const typeratorWorkloads: WorkloadApi = workloadApi(API_VERSION, true, '');

/**
 * The built-in kinds (drop-in mode). Run kube-controller-manager with
 * `--controllers=*,-deployment,-replicaset,-statefulset` so only one controller acts on them.
 */
export const appsV1Workloads: WorkloadApi = workloadApi('apps/v1', false, '-apps-v1');
