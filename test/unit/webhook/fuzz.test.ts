// Posts well over 10,000 malformed or random bodies at the webhook server: every answer must be a
// 2xx/4xx (never a 5xx or a dropped connection), the server must keep serving, and the heap must
// not grow with the number of requests.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { Agent, request as httpsRequest } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { allow, deny, type KubernetesObject, type WebhookServer } from '../../../sdk/webhook/index.ts';
import { admissionReview, newTestServer, reviewResponse, send, type ServingFiles } from './fixtures.ts';

const SEED = Number(process.env['TYPERATOR_FUZZ_SEED'] ?? 20261122);
const REQUESTS = 10_000;
const CONCURRENCY = 16;
const BODY_LIMIT = 1024 * 1024;
// A leak that kept even a few hundred bytes per request (the parsed review, a closure over the
// socket) would retain more than this over 10,000 requests; many bodies are far larger.
const HEAP_GROWTH_LIMIT_BYTES = 8 * 1024 * 1024;

/** mulberry32: a small, seedable PRNG so a failing case can be replayed with TYPERATOR_FUZZ_SEED. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Forces a full collection; `--expose-gc` turned on at runtime for this file only. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

interface FuzzCase {
  readonly kind: string;
  readonly path: string;
  readonly method: string;
  readonly contentType: string | null;
  readonly headers?: Record<string, string>;
  readonly body: Buffer;
}

function fuzzCases(random: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const int = (max: number) => Math.floor(random() * max);
  const randomString = (length: number) =>
    Array.from({ length }, () => String.fromCharCode(int(0x3000))).join('');
  const randomValue = (depth = 0): unknown => {
    switch (int(depth > 2 ? 7 : 9)) {
      case 0:
        return null;
      case 1:
        return random() < 0.5;
      case 2:
        return pick([0, -1, 1e308, -0, 3.14, Number.MAX_SAFE_INTEGER]);
      case 3:
        return randomString(int(40));
      case 4:
        return '';
      case 5:
        return pick([
          'CREATE',
          'UPDATE',
          'DELETE',
          'CONNECT',
          'PATCH',
          'admission.k8s.io/v1',
          'AdmissionReview',
        ]);
      case 6:
        return 'x'.repeat(int(200_000));
      case 7:
        return Array.from({ length: int(5) }, () => randomValue(depth + 1));
      default:
        return Object.fromEntries(
          Array.from({ length: int(5) }, () => [randomString(3), randomValue(depth + 1)]),
        );
    }
  };
  const deepNesting = (depth: number, open: string, close: string) =>
    open.repeat(depth) + close.repeat(depth);
  const deepObject = (depth: number) => `{"a":`.repeat(depth) + '1' + '}'.repeat(depth);

  // Paths into a valid review where a value of the wrong type is planted.
  const admissionPaths = [
    [],
    ['apiVersion'],
    ['kind'],
    ['request'],
    ['request', 'uid'],
    ['request', 'operation'],
    ['request', 'object'],
    ['request', 'object', 'metadata'],
    ['request', 'object', 'metadata', 'labels'],
    ['request', 'object', 'data'],
    ['request', 'oldObject'],
    ['request', 'userInfo'],
    ['request', 'userInfo', 'groups'],
    ['request', 'userInfo', 'username'],
    ['request', 'dryRun'],
    ['request', 'namespace'],
    ['request', 'name'],
    ['request', 'kind'],
    ['request', 'kind', 'kind'],
    ['request', 'resource'],
    ['request', 'subResource'],
    ['request', 'options'],
  ];
  const conversionPaths = [
    ['request', 'desiredAPIVersion'],
    ['request', 'objects'],
    ['request', 'objects', '0'],
    ['request', 'objects', '0', 'apiVersion'],
    ['request', 'objects', '0', 'spec'],
    ['request', 'uid'],
    ['request'],
    ['kind'],
  ];
  const plant = (document: unknown, path: readonly string[], value: unknown): unknown => {
    if (path.length === 0) return value;
    const [head = '', ...rest] = path;
    const container = (typeof document === 'object' && document !== null ? document : {}) as Record<
      string,
      unknown
    >;
    return Object.assign(Array.isArray(container) ? [...container] : { ...container }, {
      [head]: plant(container[head], rest, value),
    });
  };
  const conversionReview = () => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'ConversionReview',
    request: {
      uid: 'c-1',
      desiredAPIVersion: 'fuzz.typerator.dev/v2',
      objects: [
        { apiVersion: 'fuzz.typerator.dev/v1', kind: 'Thing', metadata: { name: 't' }, spec: { size: 1 } },
      ],
    },
  });

  const paths = ['/validate--v1-configmap', '/mutate--v1-configmap', '/convert-fuzz-typerator-dev-thing'];
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));
  const make = (kind: string, body: Buffer, extra: Partial<FuzzCase> = {}): FuzzCase => ({
    kind,
    path: pick(paths),
    method: 'POST',
    contentType: 'application/json',
    body,
    ...extra,
  });

  const generators: (() => FuzzCase)[] = [
    () => {
      const bytes = Buffer.alloc(int(4096));
      for (let i = 0; i < bytes.length; i++) bytes[i] = int(256);
      return make('random bytes', bytes);
    },
    () => {
      const full = JSON.stringify(random() < 0.5 ? admissionReview({}) : conversionReview());
      return make('truncated JSON', Buffer.from(full.slice(0, int(full.length))));
    },
    () =>
      make(
        'wrong type in an admission review',
        json(plant(admissionReview({}), pick(admissionPaths), randomValue())),
        { path: pick(paths.slice(0, 2)) },
      ),
    () =>
      make(
        'wrong type in a conversion review',
        json(plant(conversionReview(), pick(conversionPaths), randomValue())),
        {
          path: paths[2] ?? '',
        },
      ),
    () => make('huge string', json(admissionReview({ uid: 'u'.repeat(int(BODY_LIMIT)) }))),
    () => make('over the body limit', Buffer.alloc(BODY_LIMIT + 1 + int(1024), 0x20)),
    () => make('deeply nested arrays', Buffer.from(deepNesting(1000 + int(200_000), '[', ']'))),
    () =>
      make(
        'deeply nested object inside a valid review',
        Buffer.from(
          JSON.stringify(admissionReview({ object: '__DEEP__' })).replace(
            '"__DEEP__"',
            deepObject(1000 + int(50_000)),
          ),
        ),
      ),
    () =>
      make('wrong content type', json(admissionReview({})), {
        contentType: pick([
          null,
          'text/plain',
          'application/xml',
          'multipart/form-data',
          'application/jsonx',
          '*/*',
        ]),
      }),
    () => make('gzip garbage', Buffer.from(randomString(100)), { headers: { 'content-encoding': 'gzip' } }),
    () =>
      make('gzip review', gzipSync(json(admissionReview({}))), { headers: { 'content-encoding': 'gzip' } }),
    () => make('unknown encoding', json(admissionReview({})), { headers: { 'content-encoding': 'br' } }),
    () =>
      make('wrong method', json(admissionReview({})), {
        method: pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']),
      }),
    () =>
      make('unknown path', json(admissionReview({})), {
        path: `/${randomString(8).replace(/[^a-z]/gi, 'x')}`,
      }),
    () => make('empty body', Buffer.alloc(0)),
    () => make('JSON scalar', Buffer.from(pick(['null', 'true', '0', '"AdmissionReview"', '[]', '{}']))),
  ];
  return function* (): Generator<FuzzCase> {
    for (let i = 0; i < REQUESTS; i++) yield pick(generators)();
  };
}

interface Outcome {
  readonly status: number;
  readonly body: string;
}

function post(url: string, caPem: string, agent: Agent | false, fuzz: FuzzCase): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    // Framed explicitly: Node's client sends a GET/OPTIONS body unframed, which no server can parse.
    const headers: Record<string, string> = { ...fuzz.headers, 'content-length': String(fuzz.body.length) };
    if (fuzz.contentType !== null) headers['content-type'] = fuzz.contentType;
    let settled = false;
    const outgoing = httpsRequest(
      `${url}${fuzz.path}`,
      { method: fuzz.method, ca: caPem, agent, headers },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          settled = true;
          resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        incoming.on('error', (error) => {
          if (!settled) reject(error);
        });
      },
    );
    // The server may answer (413, 405) before reading a large body and then close; the answer counts.
    outgoing.on('error', (error) => {
      if (!settled) reject(error);
    });
    outgoing.end(fuzz.body);
  });
}

describe('webhook server fuzzing', () => {
  let server: WebhookServer;
  let files: ServingFiles;
  before(async () => {
    ({ server, files } = await newTestServer({ bodyLimitBytes: BODY_LIMIT, handlerTimeoutMs: 2_000 }));
    // Handlers written as users would, trusting the shape of the object; odd inputs make them throw.
    server.validate<{ metadata: { name: string }; data?: Record<string, string> }>(
      { group: '', version: 'v1', kind: 'ConfigMap' },
      (context) =>
        context.object && context.object.metadata.name.length > 1000 ? deny('name too long') : allow(),
    );
    server.mutate<{ metadata: { labels?: Record<string, string> } }>(
      { group: '', version: 'v1', kind: 'ConfigMap' },
      (context) => {
        context.object.metadata.labels = { ...context.object.metadata.labels, fuzzed: 'true' };
        return undefined;
      },
    );
    server.convert({ group: 'fuzz.typerator.dev', kind: 'Thing' }, (object: KubernetesObject) => ({
      ...object,
      spec: { replicas: (object['spec'] as { size: number }).size },
    }));
    await server.start();
  });
  after(async () => {
    await server.stop();
    files.remove();
  });

  it(`answers ${REQUESTS} malformed requests with 2xx/4xx, keeps serving, and does not leak`, async () => {
    const random = prng(SEED);
    const cases = fuzzCases(random);
    const keepAlive = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const statuses = new Map<number, number>();
    const problems: string[] = [];

    const runBatch = async (count: number) => {
      const iterator = cases();
      let sent = 0;
      const worker = async () => {
        for (;;) {
          if (sent >= count) return;
          const next = iterator.next();
          if (next.done) return;
          sent++;
          const fuzz = next.value;
          // Every tenth request on a fresh connection, to fuzz handshakes and connection teardown too.
          const agent = sent % 10 === 0 || fuzz.body.length > BODY_LIMIT ? false : keepAlive;
          try {
            const outcome = await post(server.url, files.caPem, agent, fuzz);
            statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
            if (outcome.status >= 500 || outcome.status < 200)
              problems.push(
                `${fuzz.kind} ${fuzz.method} ${fuzz.path}: ${outcome.status} ${outcome.body.slice(0, 200)}`,
              );
            if (outcome.status === 200) {
              const parsed = JSON.parse(outcome.body) as { response?: { uid?: unknown } };
              if (typeof parsed.response?.uid !== 'string')
                problems.push(`${fuzz.kind}: 200 without a response uid`);
            }
          } catch (error) {
            problems.push(`${fuzz.kind} ${fuzz.method} ${fuzz.path}: ${String(error)}`);
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    };

    // A warm-up fills caches and pools so the heap comparison measures growth, not first use.
    await runBatch(1_000);
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    await runBatch(REQUESTS);
    keepAlive.destroy();
    collectGarbage();
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

    assert.deepEqual(problems.slice(0, 20), [], `seed ${SEED}; statuses ${JSON.stringify([...statuses])}`);
    const total = [...statuses.values()].reduce((sum, n) => sum + n, 0);
    assert.equal(total, REQUESTS + 1_000);
    for (const status of [200, 400, 404, 405, 413, 415])
      assert.ok(statuses.has(status), `some ${status} answers`);
    assert.ok(
      heapGrowth < HEAP_GROWTH_LIMIT_BYTES,
      `heap grew by ${(heapGrowth / 1024 / 1024).toFixed(1)} MiB over ${REQUESTS} requests`,
    );

    const healthy = await send(
      `${server.url}/validate--v1-configmap`,
      files.caPem,
      JSON.stringify(admissionReview({})),
    );
    assert.deepEqual(reviewResponse(healthy), { uid: 'uid-1', allowed: true });
  });
});
