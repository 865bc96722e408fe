// Direct etcd access for failure tests, through etcd's JSON gateway (keys and values are base64).
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

async function call<T>(etcdUrl: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${etcdUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`etcd ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Deletes one key behind the apiserver's back (e.g. `/registry/configmaps/ns/name`). */
export async function etcdDelete(etcdUrl: string, key: string): Promise<number> {
  const result = await call<{ deleted?: string }>(etcdUrl, '/v3/kv/deleterange', { key: b64(key) });
  return Number(result.deleted ?? 0);
}

/** The raw value stored under `key` (custom resources are stored as JSON). */
export async function etcdGet(etcdUrl: string, key: string): Promise<string> {
  const result = await call<{ kvs?: { value: string }[] }>(etcdUrl, '/v3/kv/range', { key: b64(key) });
  const value = result.kvs?.[0]?.value;
  if (value === undefined) throw new Error(`etcd has no key ${key}`);
  return Buffer.from(value, 'base64').toString('utf8');
}

/** etcd's current revision. */
export async function etcdRevision(etcdUrl: string): Promise<number> {
  const result = await call<{ header: { revision: string } }>(etcdUrl, '/v3/kv/range', {
    key: b64('/registry/health-probe'),
    count_only: true,
  });
  return Number(result.header.revision);
}

/** Compacts history up to the current revision, so older resourceVersions answer 410 Gone. */
export async function etcdCompact(etcdUrl: string): Promise<void> {
  await call(etcdUrl, '/v3/kv/compaction', { revision: String(await etcdRevision(etcdUrl)), physical: true });
}
