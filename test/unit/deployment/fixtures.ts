import type { IntOrString, V1Pod, V1PodTemplateSpec } from '@kubernetes/client-node';
import type {
  Deployment,
  DeploymentCondition,
  DeploymentStatus,
  DeploymentStrategyType,
  ReplicaSet,
  ReplicaSetStatus,
} from '../../../operators/deployment/api/types.ts';

/** A fixed instant so that time-dependent expectations are exact. */
export const NOW = Date.parse('2026-01-01T12:00:00Z');
/** `seconds` after (or, negative, before) NOW as an RFC 3339 string. */
export const at = (seconds: number): string => new Date(NOW + seconds * 1000).toISOString();

export const template = (image = 'nginx:1'): V1PodTemplateSpec => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image }] },
});

export interface DeploymentOptions {
  replicas?: number;
  strategy?: DeploymentStrategyType;
  maxSurge?: IntOrString;
  maxUnavailable?: IntOrString;
  image?: string;
  generation?: number;
  annotations?: Record<string, string>;
  status?: DeploymentStatus;
  progressDeadlineSeconds?: number;
  revisionHistoryLimit?: number;
  minReadySeconds?: number;
  paused?: boolean;
}

export function deployment(options: DeploymentOptions = {}): Deployment {
  const strategy = options.strategy ?? 'RollingUpdate';
  return {
    apiVersion: 'apps.typerator.dev/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'ns',
      uid: 'd-uid',
      generation: options.generation ?? 1,
      ...(options.annotations ? { annotations: options.annotations } : {}),
    },
    spec: {
      replicas: options.replicas ?? 10,
      selector: { matchLabels: { app: 'web' } },
      template: template(options.image),
      strategy:
        strategy === 'Recreate'
          ? { type: 'Recreate' }
          : {
              type: 'RollingUpdate',
              rollingUpdate: {
                maxSurge: options.maxSurge ?? '25%',
                maxUnavailable: options.maxUnavailable ?? '25%',
              },
            },
      ...(options.progressDeadlineSeconds === undefined
        ? {}
        : { progressDeadlineSeconds: options.progressDeadlineSeconds }),
      ...(options.revisionHistoryLimit === undefined
        ? {}
        : { revisionHistoryLimit: options.revisionHistoryLimit }),
      ...(options.minReadySeconds === undefined ? {} : { minReadySeconds: options.minReadySeconds }),
      ...(options.paused === undefined ? {} : { paused: options.paused }),
    },
    ...(options.status ? { status: options.status } : {}),
  };
}

export interface ReplicaSetOptions {
  replicas: number;
  /** status.availableReplicas; default = replicas. */
  available?: number;
  /** status.replicas; default = replicas. */
  statusReplicas?: number;
  ready?: number;
  /** Seconds after NOW it was created; default 0. */
  created?: number;
  image?: string;
  annotations?: Record<string, string>;
  revision?: string;
  generation?: number;
  observedGeneration?: number;
  deleting?: boolean;
  status?: Partial<ReplicaSetStatus>;
}

export function replicaSet(name: string, options: ReplicaSetOptions): ReplicaSet {
  const annotations = {
    ...options.annotations,
    ...(options.revision ? { 'deployment.kubernetes.io/revision': options.revision } : {}),
  };
  return {
    apiVersion: 'apps.typerator.dev/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'ns',
      uid: `${name}-uid`,
      creationTimestamp: new Date(NOW + (options.created ?? 0) * 1000),
      annotations,
      generation: options.generation ?? 1,
      ...(options.deleting ? { deletionTimestamp: new Date(NOW) } : {}),
    },
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: { app: 'web' } },
      template: template(options.image ?? `image-of-${name}`),
    },
    status: {
      replicas: options.statusReplicas ?? options.replicas,
      availableReplicas: options.available ?? options.replicas,
      readyReplicas: options.ready ?? options.available ?? options.replicas,
      observedGeneration: options.observedGeneration ?? options.generation ?? 1,
      ...options.status,
    },
  };
}

export const condition = (c: Partial<DeploymentCondition> & Pick<DeploymentCondition, 'type' | 'status'>) =>
  c;

export interface PodOptions {
  name: string;
  node?: string;
  phase?: string;
  /** Ready since this many seconds before NOW; undefined = not ready. */
  readyFor?: number;
  createdAgo?: number;
  restarts?: number;
  cost?: string;
  deleting?: boolean;
  uid?: string;
}

export function pod(options: PodOptions): V1Pod {
  return {
    metadata: {
      name: options.name,
      uid: options.uid ?? `${options.name}-uid`,
      creationTimestamp: new Date(NOW - (options.createdAgo ?? 7200) * 1000),
      ...(options.cost === undefined
        ? {}
        : { annotations: { 'controller.kubernetes.io/pod-deletion-cost': options.cost } }),
      ...(options.deleting ? { deletionTimestamp: new Date(NOW) } : {}),
    },
    spec: { containers: [{ name: 'c' }], ...(options.node === undefined ? {} : { nodeName: options.node }) },
    status: {
      phase: options.phase ?? 'Running',
      conditions:
        options.readyFor === undefined
          ? [{ type: 'Ready', status: 'False' }]
          : [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(NOW - options.readyFor * 1000) }],
      containerStatuses: [
        { name: 'c', image: 'i', imageID: '', ready: true, restartCount: options.restarts ?? 0 },
      ],
    },
  };
}
