import type { IntOrString, V1OwnerReference, V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import type {
  PersistentVolumeClaimRetentionPolicyType,
  PodManagementPolicyType,
  StatefulSet,
  StatefulSetStatus,
  StatefulSetUpdateStrategy,
} from '../../../operators/statefulset/api/types.ts';
import { newStatefulSetPod } from '../../../operators/statefulset/logic/identity.ts';
import type { RevisionRef } from '../../../operators/statefulset/logic/pod-split.ts';

/** A fixed instant so that time-dependent expectations are exact. */
export const NOW = Date.parse('2026-01-01T12:00:00Z');

export interface SetOptions {
  name?: string;
  replicas?: number;
  start?: number;
  policy?: PodManagementPolicyType;
  updateStrategy?: StatefulSetUpdateStrategy;
  partition?: number;
  maxUnavailable?: IntOrString;
  whenDeleted?: PersistentVolumeClaimRetentionPolicyType;
  whenScaled?: PersistentVolumeClaimRetentionPolicyType;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  image?: string;
  /** volumeClaimTemplates by name; default ['datadir']. */
  claims?: string[];
  generation?: number;
  annotations?: Record<string, string>;
  status?: StatefulSetStatus;
  deleting?: boolean;
}

/** The upstream tests' set: 'web' in 'ns', selector app=web, a datadir claim and a home volume. */
export function statefulSet(options: SetOptions = {}): StatefulSet {
  const name = options.name ?? 'web';
  const updateStrategy: StatefulSetUpdateStrategy =
    options.updateStrategy ??
    (options.partition === undefined && options.maxUnavailable === undefined
      ? {}
      : {
          type: 'RollingUpdate',
          rollingUpdate: {
            ...(options.partition === undefined ? {} : { partition: options.partition }),
            ...(options.maxUnavailable === undefined ? {} : { maxUnavailable: options.maxUnavailable }),
          },
        });
  return {
    apiVersion: 'apps.typerator.dev/v1',
    kind: 'StatefulSet',
    metadata: {
      name,
      namespace: 'ns',
      uid: `${name}-uid`,
      generation: options.generation ?? 1,
      ...(options.annotations === undefined ? {} : { annotations: options.annotations }),
      ...(options.deleting === true ? { deletionTimestamp: new Date(NOW) } : {}),
    },
    spec: {
      replicas: options.replicas ?? 3,
      selector: { matchLabels: { app: 'web' } },
      serviceName: 'nginx',
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: options.image ?? 'nginx:1',
              volumeMounts: [
                { name: 'datadir', mountPath: '/data' },
                { name: 'home', mountPath: '/home' },
              ],
            },
          ],
          volumes: [{ name: 'home', hostPath: { path: '/tmp/home' } }],
        },
      },
      volumeClaimTemplates: (options.claims ?? ['datadir']).map((claim) => ({
        metadata: { name: claim },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      })),
      ...(options.policy === undefined ? {} : { podManagementPolicy: options.policy }),
      updateStrategy,
      ...(options.start === undefined ? {} : { ordinals: { start: options.start } }),
      ...(options.minReadySeconds === undefined ? {} : { minReadySeconds: options.minReadySeconds }),
      ...(options.revisionHistoryLimit === undefined
        ? {}
        : { revisionHistoryLimit: options.revisionHistoryLimit }),
      ...(options.whenDeleted === undefined && options.whenScaled === undefined
        ? {}
        : {
            persistentVolumeClaimRetentionPolicy: {
              ...(options.whenDeleted === undefined ? {} : { whenDeleted: options.whenDeleted }),
              ...(options.whenScaled === undefined ? {} : { whenScaled: options.whenScaled }),
            },
          }),
    },
    ...(options.status === undefined ? {} : { status: options.status }),
  };
}

export interface PodOptions {
  /** controller-revision-hash label; default 'rev-1'. */
  revision?: string;
  /** Default Running; '' for a pod without a phase. */
  phase?: string;
  /** Ready since this many seconds before NOW; undefined = not ready. */
  readyFor?: number;
  deleting?: boolean;
  uid?: string;
}

/** The set's pod with this ordinal as the apiserver would hold it. */
export function statefulPod(set: StatefulSet, ordinal: number, options: PodOptions = {}): V1Pod {
  const built = newStatefulSetPod(set, set.spec.template, ordinal, options.revision ?? 'rev-1');
  const phase = options.phase ?? 'Running';
  return {
    ...built,
    metadata: {
      ...built.metadata,
      namespace: 'ns',
      uid: options.uid ?? `${built.metadata?.name ?? ''}-uid`,
      ...(options.deleting === true ? { deletionTimestamp: new Date(NOW) } : {}),
    },
    status: {
      ...(phase === '' ? {} : { phase }),
      conditions:
        options.readyFor === undefined
          ? [{ type: 'Ready', status: 'False' }]
          : [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(NOW - options.readyFor * 1000) }],
    },
  };
}

/** A healthy pod: Running and ready for an hour. */
export const healthy = (set: StatefulSet, ordinal: number, options: PodOptions = {}): V1Pod =>
  statefulPod(set, ordinal, { readyFor: 3600, ...options });

/** An owner reference (controller when asked). */
export const ref = (
  apiVersion: string,
  kind: string,
  name: string,
  uid: string,
  controller?: boolean,
): V1OwnerReference => ({
  apiVersion,
  kind,
  name,
  uid,
  ...(controller === undefined ? {} : { controller }),
});

/** Reference to the fixture set 'web' (controller). */
export const setRef = (uid = 'web-uid', controller = true): V1OwnerReference =>
  ref('apps.typerator.dev/v1', 'StatefulSet', 'web', uid, controller);

/** Reference to pod web-<ordinal> (controller). */
export const podRef = (ordinal: number, uid = `web-${ordinal}-uid`, controller = true): V1OwnerReference =>
  ref('v1', 'Pod', `web-${ordinal}`, uid, controller);

/** A claim as found in the cache. */
export function claim(
  name: string,
  refs: V1OwnerReference[] = [],
  deleting = false,
): V1PersistentVolumeClaim {
  return {
    metadata: {
      name,
      namespace: 'ns',
      ...(refs.length === 0 ? {} : { ownerReferences: refs }),
      ...(deleting ? { deletionTimestamp: new Date(NOW) } : {}),
    },
    spec: { accessModes: ['ReadWriteOnce'] },
  };
}

/** Claims by name. */
export const claimMap = (...claims: V1PersistentVolumeClaim[]): Map<string, V1PersistentVolumeClaim> =>
  new Map(claims.map((c) => [c.metadata?.name ?? '', c]));

/** Revision refs for the set's own template (current = update unless another image is given). */
export const revisionRef = (set: StatefulSet, name: string): RevisionRef => ({
  name,
  template: set.spec.template,
});

/** Names of pods. */
export const names = (pods: readonly (V1Pod | undefined)[]): (string | undefined)[] =>
  pods.map((pod) => pod?.metadata?.name);
