// The example operators' workload samples (operators/*/samples): applied as a user would apply them,
// and waited for the way a user would check them: the object reports ready and its pods are all
// Ready, running the image.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Client } from '../../sdk/client/client.ts';
import { kinds } from '../../sdk/client/resource-kind.ts';
import { applyObject, kindOf } from '../../sdk/dev/apply-objects.ts';
import { readManifests } from '../../sdk/dev/manifest-files.ts';
import { objectProgress } from '../../sdk/dev/object-progress.ts';
import { waitUntil } from '../../sdk/testing/index.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** Applies the Deployment and StatefulSet samples (server-side, as `fieldManager`); returns them. */
export async function applyWorkloadSamples(
  client: Client,
  fieldManager: string,
): Promise<KubernetesObject[]> {
  const samples = readManifests(
    [
      join(repo, 'operators/deployment/samples/deployment.yaml'),
      join(repo, 'operators/statefulset/samples/statefulset.yaml'),
    ],
    repo,
  ).map(({ object }) => object);
  assert.deepEqual(
    samples.map((object) => object.kind),
    ['Deployment', 'StatefulSet'],
  );
  for (const object of samples) await applyObject(client, object, fieldManager);
  return samples;
}

export interface SampleReadyOptions {
  /** The image every pod's first container must run. */
  readonly image: string;
  /** How many live (not terminating) pods must be Ready. */
  readonly replicas: number;
  readonly timeoutMs?: number;
  /** Ends the wait early, e.g. when the operator under test logged a refusal. */
  readonly signal?: AbortSignal;
}

export async function waitForSampleReady(
  client: Client,
  sample: KubernetesObject,
  options: SampleReadyOptions,
): Promise<void> {
  const name = sample.metadata?.name ?? '';
  const namespace = sample.metadata?.namespace ?? 'default';
  const { image, replicas } = options;
  await waitUntil(
    async () => {
      const live = await client.resource(kindOf(sample)).get({ namespace, name });
      if (!objectProgress(live).ready) return false;
      const app = (live as { spec?: { selector?: { matchLabels?: Record<string, string> } } }).spec?.selector
        ?.matchLabels?.['app'];
      const pods = (
        await client.resource(kinds.Pod).list({ namespace, labelSelector: `app=${app}` })
      ).items.filter((p) => p.metadata?.deletionTimestamp === undefined);
      return (
        pods.length === replicas &&
        pods.every(
          (p) =>
            p.spec?.containers[0]?.image === image &&
            p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        )
      );
    },
    {
      what: `${sample.kind} ${namespace}/${name} to be ready with ${replicas} Ready pods running ${image}`,
      timeoutMs: options.timeoutMs ?? 180_000,
      intervalMs: 500,
      ...(options.signal ? { signal: options.signal } : {}),
    },
  );
}
