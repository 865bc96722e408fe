// How long the apiserver takes to serve a paged LIST in each wire format, with the bodies read and
// thrown away: the floor under any informer's sync, before a byte is decoded. The informer
// comparison measures it on the same control plane as its runs, to tell what the apiserver spends
// encoding JSON against protobuf apart from what each client spends decoding.
import { Agent, request } from 'node:https';
import { performance } from 'node:perf_hooks';
import { credentialSourceFor } from '../../../sdk/client/kubeconfig/credential-source-for.ts';
import { currentEntries } from '../../../sdk/client/kubeconfig/kubeconfig.ts';
import { readKubeconfig } from '../../../sdk/client/kubeconfig/read-kubeconfig.ts';

export const JSON_MEDIA_TYPE = 'application/json';
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

export interface WireTime {
  readonly ms: number;
  readonly bytes: number;
  readonly pages: number;
}

/**
 * Lists `path` (e.g. /api/v1/namespaces/bench/configmaps) from the watch cache in pages of
 * `pageSize`, as the informers do, in the `accept` format. A protobuf body's continue token is not
 * read: the pages follow `tokens`, the tokens of a JSON pass over the same collection (a token names
 * a resourceVersion and a key, whatever the format). Returns the time, bytes and pages, and, for
 * JSON, the tokens.
 */
export async function listWireTime(
  kubeconfigPath: string,
  path: string,
  accept: string,
  options: { pageSize?: number; tokens?: readonly string[] } = {},
): Promise<WireTime & { tokens: string[] }> {
  const kubeconfig = readKubeconfig({ path: kubeconfigPath });
  const { cluster } = currentEntries(kubeconfig);
  if (!cluster) throw new Error(`${kubeconfigPath} has no current cluster`);
  const { tls, headers } = await credentialSourceFor(kubeconfig, cluster).resolve(false);
  const agent = new Agent({ keepAlive: true, ...tls });
  const pageSize = options.pageSize ?? 500;
  const json = accept === JSON_MEDIA_TYPE;
  if (!json && !options.tokens) throw new Error('a protobuf pass needs the tokens of a JSON pass');
  const get = (continueToken: string | undefined): Promise<Buffer> => {
    const query = new URLSearchParams({ resourceVersion: '0', limit: String(pageSize) });
    if (continueToken) query.set('continue', continueToken);
    return new Promise((resolve, reject) => {
      const sent = request(
        new URL(`${path}?${query.toString()}`, cluster.server),
        { agent, headers: { ...headers, accept } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const body = Buffer.concat(chunks);
            if (response.statusCode !== 200)
              reject(
                new Error(`GET ${path} (${accept}): ${response.statusCode} ${body.toString().slice(0, 200)}`),
              );
            else resolve(body);
          });
          response.on('error', reject);
        },
      );
      sent.on('error', reject);
      sent.end();
    });
  };
  try {
    const tokens: string[] = [];
    let bytes = 0;
    let pages = 0;
    const started = performance.now();
    let next: string | undefined;
    do {
      const body = await get(next);
      bytes += body.length;
      pages++;
      if (json) {
        // Only the token is needed; timing the parse would defeat the point, so it is found by hand.
        next = continueTokenOf(body);
        if (next) tokens.push(next);
      } else next = options.tokens?.[pages - 1];
    } while (next);
    return { ms: performance.now() - started, bytes, pages, tokens };
  } finally {
    agent.destroy();
  }
}

/** metadata.continue of a JSON list body, found without parsing the items. */
function continueTokenOf(body: Buffer): string | undefined {
  // The list's metadata comes before its items, within the first bytes.
  const head = body.subarray(0, 4096).toString('utf8');
  return /"continue":"([^"]*)"/.exec(head)?.[1] || undefined;
}
