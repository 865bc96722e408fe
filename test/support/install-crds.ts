import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { V1CustomResourceDefinition } from '@kubernetes/client-node';
import { parse } from 'yaml';
import type { Client } from '../../sdk/client/client.ts';
import { kinds } from '../../sdk/client/resource-kind.ts';
import { waitUntil } from '../../sdk/testing/index.ts';

const crdFolder = fileURLToPath(new URL('../../crds/', import.meta.url));

/** Applies the generated CRDs from crds/ whose file names match `filter`, and waits until served. */
export async function installGeneratedCrds(
  client: Client,
  filter: (file: string) => boolean = () => true,
): Promise<void> {
  const files = readdirSync(crdFolder).filter((f) => f.endsWith('.yaml') && filter(f));
  const crds = client.resource(kinds.CustomResourceDefinition);
  for (const file of files) {
    const crd = parse(readFileSync(join(crdFolder, file), 'utf8')) as V1CustomResourceDefinition;
    await crds.create(crd);
    await waitUntil(
      async () =>
        (await crds.get({ name: crd.metadata?.name ?? '' })).status?.conditions?.some(
          (c) => c.type === 'Established' && c.status === 'True',
        ),
      { what: `${file} to be established`, timeoutMs: 30_000 },
    );
  }
  client.mapper.invalidate();
}
