import type {
  V1OwnerReference,
  V1PersistentVolumeClaim,
  V1Pod,
  V1PodTemplateSpec,
  V1Volume,
} from '@kubernetes/client-node';
import type { StatefulSet } from '../api/types.ts';
import { endOrdinal, startOrdinal } from './statefulset-spec.ts';

// A StatefulSet pod's identity is its ordinal: the name <set>-<ordinal>, the labels, the
// hostname and subdomain, and one claim per volumeClaimTemplate named <claim>-<set>-<ordinal>.

/** Kind of our StatefulSet, as written in owner references. */
export const STATEFUL_SET_KIND = 'StatefulSet';
/** The pod's own name, so a Service can select a single replica. */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** The pod's ordinal (PodIndexLabel, GA in 1.32). */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** Name of the ControllerRevision the pod was made from (the full name, not only the hash). */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

const MAX_INT32 = 2147483647;
/** Pod names are DNS subdomains of at most 253 characters. */
const MAX_POD_NAME_LENGTH = 253;
/** Greedy: the parent is everything before the last "-<digits>" at the end. */
const POD_NAME = /^(.*)-([0-9]+)$/;

/** A pod's name does not end in -<ordinal>, where an ordinal is required. */
export class NotAStatefulSetPodError extends Error {
  override readonly name = 'NotAStatefulSetPodError';
  /** The pod's name. */
  readonly podName: string;

  constructor(podName: string) {
    super(`pod ${JSON.stringify(podName)} has no ordinal (a StatefulSet pod is named <set>-<ordinal>)`);
    this.podName = podName;
  }
}

/** The name of the set's pod with this ordinal. */
export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata?.name ?? ''}-${ordinal}`;
}

/**
 * Splits a pod name into parent and ordinal, or undefined when it does not end in -<digits>.
 * The ordinal is undefined (and the parent still given) when the digits exceed int32.
 */
export function parsePodName(name: string): { parent: string; ordinal: number | undefined } | undefined {
  const match = POD_NAME.exec(name);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  const ordinal = Number(match[2]);
  return { parent: match[1], ordinal: ordinal <= MAX_INT32 ? ordinal : undefined };
}

/** The pod's ordinal, or undefined when its name has none. */
export function ordinalOf(pod: V1Pod): number | undefined {
  return parsePodName(pod.metadata?.name ?? '')?.ordinal;
}

/** The pod's name says it belongs to the set (the extra filter when claiming pods). */
export function isMemberOf(set: StatefulSet, pod: V1Pod): boolean {
  return parsePodName(pod.metadata?.name ?? '')?.parent === (set.metadata?.name ?? '');
}

/** The pod's ordinal lies in [start, start + replicas). */
export function podInOrdinalRange(set: StatefulSet, pod: V1Pod): boolean {
  const ordinal = ordinalOf(pod);
  return ordinal !== undefined && ordinal >= startOrdinal(set) && ordinal <= endOrdinal(set);
}

/** The revision label on the pod ('' when absent). */
export function podRevision(pod: V1Pod): string {
  return pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
}

/** The controller reference our pods, claims and revisions carry. */
export function statefulSetControllerRef(set: StatefulSet): V1OwnerReference {
  const name = set.metadata?.name;
  const uid = set.metadata?.uid;
  if (name === undefined || uid === undefined) {
    throw new TypeError(
      'the StatefulSet needs metadata.name and metadata.uid (read it from the apiserver first)',
    );
  }
  return {
    // Ours or, in drop-in mode, apps/v1: the set's own.
    apiVersion: set.apiVersion,
    kind: STATEFUL_SET_KIND,
    name,
    uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** `<claim template>-<set>-<ordinal>`. */
export function claimName(set: StatefulSet, templateName: string, ordinal: number): string {
  return `${templateName}-${set.metadata?.name ?? ''}-${ordinal}`;
}

/**
 * The claims of the pod with this ordinal, one per volumeClaimTemplate in template order: a copy
 * of the template named by claimName in the set's namespace, its labels with
 * spec.selector.matchLabels merged over them (or just those when the template has none).
 */
export function claimsForOrdinal(set: StatefulSet, ordinal: number): V1PersistentVolumeClaim[] {
  const matchLabels = set.spec.selector.matchLabels;
  return (set.spec.volumeClaimTemplates ?? []).map((template) => {
    const claim = structuredClone(template);
    const labels =
      template.metadata?.labels === undefined
        ? matchLabels === undefined
          ? undefined
          : { ...matchLabels }
        : { ...template.metadata.labels, ...matchLabels };
    const { labels: _labels, ...metadata } = claim.metadata ?? {};
    claim.metadata = {
      ...metadata,
      name: claimName(set, template.metadata?.name ?? '', ordinal),
      ...(set.metadata?.namespace === undefined ? {} : { namespace: set.metadata.namespace }),
      ...(labels === undefined ? {} : { labels }),
    };
    return claim;
  });
}

/**
 * The pod's name, namespace and pod-name label are those of its ordinal in this set. (The
 * pod-index label is not checked, as upstream: a pod without it is not repaired for that alone.)
 */
export function identityMatches(set: StatefulSet, pod: V1Pod): boolean {
  const name = pod.metadata?.name ?? '';
  const parsed = parsePodName(name);
  return (
    parsed?.ordinal !== undefined &&
    parsed.parent === (set.metadata?.name ?? '') &&
    name === podName(set, parsed.ordinal) &&
    (pod.metadata?.namespace ?? '') === (set.metadata?.namespace ?? '') &&
    pod.metadata?.labels?.[POD_NAME_LABEL] === name
  );
}

/** Every volumeClaimTemplate is a pod volume of the same name pointing at the pod's claim. */
export function storageMatches(set: StatefulSet, pod: V1Pod): boolean {
  const ordinal = ordinalOf(pod);
  if (ordinal === undefined) return false;
  const volumes = new Map((pod.spec?.volumes ?? []).map((volume) => [volume.name, volume]));
  return (set.spec.volumeClaimTemplates ?? []).every((template) => {
    const templateName = template.metadata?.name ?? '';
    const volume = volumes.get(templateName);
    return volume?.persistentVolumeClaim?.claimName === claimName(set, templateName, ordinal);
  });
}

function requireOrdinal(pod: V1Pod): number {
  const ordinal = ordinalOf(pod);
  if (ordinal === undefined) throw new NotAStatefulSetPodError(pod.metadata?.name ?? '');
  return ordinal;
}

/**
 * A copy of the pod with its identity restored: name and namespace from the set and its ordinal,
 * the pod-name and pod-index labels. Throws NotAStatefulSetPodError for a pod without an ordinal.
 */
export function withIdentity(set: StatefulSet, pod: V1Pod): V1Pod {
  const ordinal = requireOrdinal(pod);
  const name = podName(set, ordinal);
  const { namespace: _namespace, ...metadata } = pod.metadata ?? {};
  return {
    ...pod,
    metadata: {
      ...metadata,
      name,
      ...(set.metadata?.namespace === undefined ? {} : { namespace: set.metadata.namespace }),
      labels: { ...pod.metadata?.labels, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal) },
    },
  };
}

/**
 * A copy of the pod whose volumes are first one per volumeClaimTemplate (pointing at its claim),
 * then the pod's other volumes; a pod volume named like a template is replaced. Throws
 * NotAStatefulSetPodError for a pod without an ordinal.
 */
export function withStorage(set: StatefulSet, pod: V1Pod): V1Pod {
  const ordinal = requireOrdinal(pod);
  const templateNames = (set.spec.volumeClaimTemplates ?? []).map((t) => t.metadata?.name ?? '');
  const claimVolumes: V1Volume[] = templateNames.map((name) => ({
    name,
    persistentVolumeClaim: { claimName: claimName(set, name, ordinal) },
  }));
  const others = (pod.spec?.volumes ?? []).filter((volume) => !templateNames.includes(volume.name));
  const volumes = [...claimVolumes, ...others];
  const { volumes: _volumes, ...spec } = pod.spec ?? { containers: [] };
  return { ...pod, spec: { ...spec, ...(volumes.length === 0 ? {} : { volumes }) } };
}

/**
 * The pod the set creates for `ordinal` from `template` (the template of the revision named
 * `revision`): labels, annotations, finalizers and spec from the template; name `<set>-<ordinal>`
 * (generateName `<set>-` as well, as upstream); identity labels; hostname and subdomain (set only
 * here, never repaired); claim volumes; the revision label; controlled by the set.
 */
export function newStatefulSetPod(
  set: StatefulSet,
  template: V1PodTemplateSpec,
  ordinal: number,
  revision: string,
): V1Pod {
  const setName = set.metadata?.name ?? '';
  const name = podName(set, ordinal);
  const { labels, annotations, finalizers } = template.metadata ?? {};
  const serviceName = set.spec.serviceName ?? '';
  const base: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: `${setName}-`.length <= MAX_POD_NAME_LENGTH ? `${setName}-` : setName,
      ...(labels === undefined ? {} : { labels: { ...labels } }),
      ...(annotations === undefined ? {} : { annotations: { ...annotations } }),
      ...(finalizers === undefined ? {} : { finalizers: [...finalizers] }),
      ownerReferences: [statefulSetControllerRef(set)],
    },
    spec: {
      ...structuredClone(template.spec ?? { containers: [] }),
      hostname: name,
      ...(serviceName === '' ? {} : { subdomain: serviceName }),
    },
  };
  const pod = withStorage(set, withIdentity(set, base));
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      labels: { ...pod.metadata?.labels, [CONTROLLER_REVISION_HASH_LABEL]: revision },
    },
  };
}

/**
 * The existing pod with identity and storage repaired in place (an update, never a delete), or
 * undefined when both already match. Hostname and subdomain are not touched.
 */
export function repairedPod(set: StatefulSet, pod: V1Pod): V1Pod | undefined {
  let repaired = pod;
  if (!identityMatches(set, repaired)) repaired = withIdentity(set, repaired);
  if (!storageMatches(set, repaired)) repaired = withStorage(set, repaired);
  return repaired === pod ? undefined : repaired;
}
