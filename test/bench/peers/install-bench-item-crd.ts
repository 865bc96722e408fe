// Harness side only: typerator-peer.ts imports bench-item.ts, and must not load sdk/testing.
import type { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { waitUntil } from '../../../sdk/testing/index.ts';
import { benchItemCrd } from './bench-item.ts';

/** Creates the BenchItem CRD and waits until it is established. */
export async function installBenchItemCrd(client: Client): Promise<void> {
  const crds = client.resource(kinds.CustomResourceDefinition);
  await crds.create(benchItemCrd);
  await waitUntil(
    async () =>
      (await crds.get({ name: benchItemCrd.metadata?.name ?? '' })).status?.conditions?.some(
        (c) => c.type === 'Established' && c.status === 'True',
      ),
    { what: 'the BenchItem CRD to be established', timeoutMs: 30_000 },
  );
}
