// Runs one Deployment scenario against either the built-in apps/v1 controllers (in
// kube-controller-manager) or our operator, observing the same things the same way, so a test can
// check invariants at every observation and compare the two runs.
import type { KubernetesObject, V1PodTemplateSpec } from '@kubernetes/client-node';
import type { Client } from '../../sdk/client/client.ts';
import type { ResourceKind } from '../../sdk/client/resource-kind.ts';
import { kinds } from '../../sdk/client/resource-kind.ts';
import { API_VERSION } from '../../operators/deployment/api/types.ts';
import { deploymentKind, replicaSetKind } from '../../operators/deployment/kinds.ts';

/** Which implementation runs the scenario. */
export type Flavor = 'built-in' | 'typerator';

interface WorkloadObject extends KubernetesObject {
  spec?: { replicas?: number; template?: V1PodTemplateSpec; strategy?: unknown; selector?: unknown };
  status?: {
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    observedGeneration?: number;
    conditions?: { type: string; status: string; reason?: string }[];
  };
}

/** What one poll saw. */
export interface Observation {
  readonly specSum: number;
  readonly available: number;
  readonly replicaSets: number;
  readonly revision: string;
  readonly everySelectorHasHash: boolean;
}

/** The end state, hashes and names left out so the two flavors compare. */
export interface Summary {
  readonly status: Record<string, number | undefined>;
  readonly conditions: string[];
  readonly revision: string;
  readonly replicaSets: { revision: string; replicas: number; statusReplicas: number }[];
  readonly pods: number;
}

export function workloadKinds(flavor: Flavor): {
  deployment: ResourceKind<WorkloadObject>;
  replicaSet: ResourceKind<WorkloadObject>;
  apiVersion: string;
} {
  return flavor === 'built-in'
    ? {
        deployment: kinds.Deployment,
        replicaSet: kinds.ReplicaSet,
        apiVersion: 'apps/v1',
      }
    : {
        deployment: deploymentKind,
        replicaSet: replicaSetKind,
        apiVersion: API_VERSION,
      };
}

/** The ReplicaSets controlled by the deployment `name`. */
async function ownedReplicaSets(
  client: Client,
  flavor: Flavor,
  namespace: string,
  uid: string,
): Promise<WorkloadObject[]> {
  const { replicaSet } = workloadKinds(flavor);
  const all = await client.resource(replicaSet).list({ namespace });
  return all.items.filter((rs) =>
    rs.metadata?.ownerReferences?.some((ref) => ref.controller && ref.uid === uid),
  );
}

export async function observe(
  client: Client,
  flavor: Flavor,
  namespace: string,
  name: string,
): Promise<Observation> {
  const { deployment } = workloadKinds(flavor);
  const d = await client.resource(deployment).get({ namespace, name });
  const sets = await ownedReplicaSets(client, flavor, namespace, d.metadata?.uid ?? '');
  return {
    specSum: sets.reduce((sum, rs) => sum + (rs.spec?.replicas ?? 0), 0),
    available: d.status?.availableReplicas ?? 0,
    replicaSets: sets.length,
    revision: d.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? '',
    everySelectorHasHash: sets.every((rs) =>
      Boolean(
        (rs.spec?.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels?.[
          'pod-template-hash'
        ],
      ),
    ),
  };
}

export async function summarize(
  client: Client,
  flavor: Flavor,
  namespace: string,
  name: string,
): Promise<Summary> {
  const { deployment } = workloadKinds(flavor);
  const d = await client.resource(deployment).get({ namespace, name });
  const sets = await ownedReplicaSets(client, flavor, namespace, d.metadata?.uid ?? '');
  const pods = await client.resource(kinds.Pod).list({
    namespace,
    labelSelector: Object.entries(d.spec?.template?.metadata?.labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
  });
  const s = d.status ?? {};
  return {
    status: {
      replicas: s.replicas,
      updatedReplicas: s.updatedReplicas,
      readyReplicas: s.readyReplicas,
      availableReplicas: s.availableReplicas,
      unavailableReplicas: s.unavailableReplicas ?? 0,
      observedGeneration: s.observedGeneration,
    },
    conditions: (s.conditions ?? []).map((c) => `${c.type}=${c.status}/${c.reason ?? ''}`).sort(),
    revision: d.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? '',
    replicaSets: sets
      .map((rs) => ({
        revision: rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? '',
        replicas: rs.spec?.replicas ?? 0,
        statusReplicas: rs.status?.replicas ?? 0,
      }))
      .sort((a, b) => a.revision.localeCompare(b.revision)),
    pods: pods.items.filter((p) => !p.metadata?.deletionTimestamp).length,
  };
}

/** A deployment object of either flavor. */
export function deploymentObject(
  flavor: Flavor,
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
): WorkloadObject {
  const { apiVersion } = workloadKinds(flavor);
  return { apiVersion, kind: 'Deployment', metadata: { name, namespace }, spec };
}
