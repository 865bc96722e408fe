import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { request as httpsRequest } from 'node:https';
import { deflateSync, gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { allow, deny, WebhookServer } from '../../../sdk/webhook/index.ts';
import {
  admissionReview,
  newTestServer,
  reviewResponse,
  send,
  silentLogger,
  writeServingFiles,
  type ServingFiles,
} from './fixtures.ts';

interface ConfigMap {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

/** Polls `check` every 10 ms for up to 5 s. */
async function waitFor(check: () => boolean): Promise<void> {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > 5_000) throw new Error('condition not met within 5 s');
    await sleep(10);
  }
}

const configMaps = { group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps' } as const;

describe('WebhookServer over HTTPS', () => {
  let server: WebhookServer;
  let files: ServingFiles;
  let url: string;
  const registry = new Registry();
  const seen: { dryRun: boolean; user: string | undefined; name: string | undefined }[] = [];

  before(async () => {
    ({ server, files } = await newTestServer({ registry, bodyLimitBytes: 64 * 1024, handlerTimeoutMs: 300 }));
    server.validate<ConfigMap>(configMaps, (context) => {
      seen.push({ dryRun: context.dryRun, user: context.userInfo.username, name: context.name });
      if (context.object?.data?.['forbidden'] !== undefined)
        return deny('the key "forbidden" is not allowed');
      if (context.object?.data?.['legacy'] !== undefined) {
        context.warn('the key "legacy" is deprecated');
        return allow(['second warning']);
      }
      return allow();
    });
    server.mutate<ConfigMap>(configMaps, (context) => {
      context.object.metadata.labels = { ...context.object.metadata.labels, stamped: 'yes' };
      if (context.object.data?.['drop'] !== undefined) delete context.object.data['drop'];
      return undefined;
    });
    server.validate({ group: 'example.dev', version: 'v1', kind: 'Thrower' }, () => {
      throw new Error('database unavailable');
    });
    server.validate({ group: 'example.dev', version: 'v1', kind: 'Sleeper' }, async (context) => {
      await sleep(5_000, undefined, { signal: context.signal }).catch(() => undefined);
      return allow();
    });
    server.mutate<ConfigMap>({ group: 'example.dev', version: 'v1', kind: 'Replacer' }, (context) => ({
      ...context.object,
      data: { replaced: 'true' },
    }));
    await server.start();
    url = server.url;
  });
  after(async () => {
    await server.stop();
    files.remove();
  });

  const post = (path: string, body: unknown, contentType?: string | null) =>
    send(`${url}${path}`, files.caPem, typeof body === 'string' ? body : JSON.stringify(body), {
      ...(contentType !== undefined ? { contentType } : {}),
    });

  it('derives controller-runtime style paths', () => {
    assert.deepEqual(
      server.registrations().map((r) => r.path),
      [
        '/validate--v1-configmap',
        '/mutate--v1-configmap',
        '/validate-example-dev-v1-thrower',
        '/validate-example-dev-v1-sleeper',
        '/mutate-example-dev-v1-replacer',
      ],
    );
  });

  it('allows a valid object and echoes the uid and apiVersion', async () => {
    const reply = await post('/validate--v1-configmap', admissionReview({ uid: 'abc-123' }));
    assert.equal(reply.status, 200);
    assert.match(reply.contentType, /application\/json/);
    const body = reply.json() as { apiVersion: string; kind: string };
    assert.equal(body.apiVersion, 'admission.k8s.io/v1');
    assert.equal(body.kind, 'AdmissionReview');
    assert.deepEqual(reviewResponse(reply), { uid: 'abc-123', allowed: true });
  });

  it('answers a v1beta1 review in v1beta1', async () => {
    const review = { ...admissionReview({}), apiVersion: 'admission.k8s.io/v1beta1' };
    const reply = await post('/validate--v1-configmap', review);
    assert.equal((reply.json() as { apiVersion: string }).apiVersion, 'admission.k8s.io/v1beta1');
  });

  it('denies with the handler message and a 403 status code', async () => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { forbidden: '1' } };
    const response = reviewResponse(await post('/validate--v1-configmap', admissionReview({ object })));
    assert.equal(response.allowed, false);
    assert.deepEqual(response.status, { code: 403, message: 'the key "forbidden" is not allowed' });
  });

  it('passes the dry-run flag, user and name to the handler', async () => {
    seen.length = 0;
    await post('/validate--v1-configmap', admissionReview({ dryRun: true, name: 'n1' }));
    assert.deepEqual(seen, [{ dryRun: true, user: 'alice', name: 'n1' }]);
  });

  it('returns warnings from both context.warn and the verdict', async () => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { legacy: '1' } };
    const response = reviewResponse(await post('/validate--v1-configmap', admissionReview({ object })));
    assert.equal(response.allowed, true);
    assert.deepEqual(response.warnings, ['the key "legacy" is deprecated', 'second warning']);
  });

  it('answers a mutation with a base64 JSON patch computed from the diff', async () => {
    const object = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x' },
      data: { drop: '1', keep: '2' },
    };
    const response = reviewResponse(await post('/mutate--v1-configmap', admissionReview({ object })));
    assert.equal(response.allowed, true);
    assert.equal(response.patchType, 'JSONPatch');
    const patch = JSON.parse(Buffer.from(response.patch ?? '', 'base64').toString('utf8')) as unknown[];
    assert.deepEqual(
      new Set(patch.map((op) => JSON.stringify(op))),
      new Set([
        JSON.stringify({ op: 'remove', path: '/data/drop' }),
        JSON.stringify({ op: 'add', path: '/metadata/labels', value: { stamped: 'yes' } }),
      ]),
    );
  });

  it('uses a returned object instead of the mutated copy', async () => {
    const response = reviewResponse(await post('/mutate-example-dev-v1-replacer', admissionReview({})));
    const patch = JSON.parse(Buffer.from(response.patch ?? '', 'base64').toString('utf8')) as unknown;
    assert.deepEqual(patch, [
      { op: 'remove', path: '/data/a' },
      { op: 'add', path: '/data/replaced', value: 'true' },
    ]);
  });

  it('omits the patch when the mutation changes nothing, and skips DELETE', async () => {
    const object = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', labels: { stamped: 'yes' } },
    };
    const unchanged = reviewResponse(await post('/mutate--v1-configmap', admissionReview({ object })));
    assert.deepEqual(unchanged, { uid: 'uid-1', allowed: true });
    const deletion = reviewResponse(
      await post(
        '/mutate--v1-configmap',
        admissionReview({ operation: 'DELETE', object: null, oldObject: object }),
      ),
    );
    assert.deepEqual(deletion, { uid: 'uid-1', allowed: true });
  });

  it('turns a throwing handler into a well-formed refusal', async () => {
    const reply = await post('/validate-example-dev-v1-thrower', admissionReview({ uid: 'boom' }));
    assert.equal(reply.status, 200);
    const response = reviewResponse(reply);
    assert.equal(response.uid, 'boom');
    assert.equal(response.allowed, false);
    assert.equal(response.status?.code, 500);
    assert.match(
      response.status.message ?? '',
      /validate-example-dev-v1-thrower failed: database unavailable/,
    );
  });

  it('turns a handler that overruns its time budget into a refusal', async () => {
    const reply = await post('/validate-example-dev-v1-sleeper', admissionReview({}));
    assert.equal(reply.status, 200);
    const response = reviewResponse(reply);
    assert.equal(response.allowed, false);
    assert.match(response.status?.message ?? '', /did not answer within 300 ms/);
  });

  describe('refuses malformed requests with 400 and says why', () => {
    const cases: [string, unknown, RegExp][] = [
      ['malformed JSON', '{"apiVersion": ', /request body is not valid JSON/],
      ['an empty body', '', /request body is empty/],
      ['a JSON array', '[1,2]', /must be a JSON object of kind AdmissionReview, got an array/],
      [
        'a wrong apiVersion',
        { ...admissionReview({}), apiVersion: 'v1' },
        /apiVersion must be admission\.k8s\.io\/v1/,
      ],
      ['a wrong kind', { ...admissionReview({}), kind: 'ConversionReview' }, /kind must be AdmissionReview/],
      [
        'a missing request',
        { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' },
        /^request is required$/,
      ],
      [
        'a non-object request',
        { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: 'x' },
        /request must be an object/,
      ],
      ['a missing request.uid', admissionReview({ uid: undefined }), /^request\.uid is required$/],
      ['an empty request.uid', admissionReview({ uid: '' }), /^request\.uid is required$/],
      [
        'an unknown operation',
        admissionReview({ operation: 'PATCH' }),
        /request\.operation must be one of CREATE, UPDATE, DELETE, CONNECT/,
      ],
      ['a string object', admissionReview({ object: 'x' }), /request\.object must be an object/],
      ['a numeric namespace', admissionReview({ namespace: 7 }), /request\.namespace must be a string/],
      ['a string dryRun', admissionReview({ dryRun: 'yes' }), /request\.dryRun must be a boolean/],
      [
        'non-string groups',
        admissionReview({ userInfo: { groups: [1] } }),
        /request\.userInfo\.groups must be an array of strings/,
      ],
    ];
    for (const [what, body, message] of cases) {
      it(what, async () => {
        const reply = await post('/validate--v1-configmap', body);
        assert.equal(reply.status, 400, reply.text);
        assert.match(reply.text, message);
      });
    }
  });

  it('refuses a body over the limit with 413', async () => {
    const big = admissionReview({ object: { data: { blob: 'x'.repeat(100 * 1024) } } });
    const reply = await post('/validate--v1-configmap', big);
    assert.equal(reply.status, 413);
    assert.match(reply.text, /larger than the limit of 65536 bytes/);
  });

  it('refuses a non-JSON content type with 415', async () => {
    const reply = await post('/validate--v1-configmap', admissionReview({}), 'text/plain');
    assert.equal(reply.status, 415);
    assert.match(reply.text, /Content-Type must be application\/json/);
    const none = await post('/validate--v1-configmap', admissionReview({}), null);
    assert.equal(none.status, 415);
  });

  it('answers 404 for an unknown path and 405 for a wrong method', async () => {
    const missing = await post('/validate-nothing-here', admissionReview({}));
    assert.equal(missing.status, 404);
    assert.match(missing.text, /no webhook is registered at \/validate-nothing-here/);
    const wrongMethod = await send(`${url}/validate--v1-configmap`, files.caPem, undefined, {
      method: 'GET',
    });
    assert.equal(wrongMethod.status, 405);
    assert.match(wrongMethod.text, /GET is not allowed; use POST/);
  });

  it('exports controller-runtime metrics for the requests it served', async () => {
    await post('/validate--v1-configmap', admissionReview({}));
    const text = await registry.metrics();
    assert.match(
      text,
      /controller_runtime_webhook_requests_total\{webhook="\/validate--v1-configmap",code="200"\} \d+/,
    );
    assert.match(
      text,
      /controller_runtime_webhook_requests_total\{webhook="\/validate--v1-configmap",code="400"\} \d+/,
    );
    assert.match(
      text,
      /controller_runtime_webhook_requests_total\{webhook="\/validate--v1-configmap",code="413"\} 1/,
    );
    assert.match(
      text,
      /controller_runtime_webhook_latency_seconds_count\{webhook="\/mutate--v1-configmap"\} \d+/,
    );
    assert.match(
      text,
      /controller_runtime_webhook_requests_in_flight\{webhook="\/validate--v1-configmap"\} 0/,
    );
  });

  it('reads gzip and deflate bodies, and refuses other encodings, bad streams and inflated bodies over the limit', async () => {
    const review = Buffer.from(JSON.stringify(admissionReview({})));
    const encoded = (encoding: string, body: Buffer) =>
      send(`${url}/validate--v1-configmap`, files.caPem, body, { headers: { 'content-encoding': encoding } });
    for (const [encoding, body] of [
      ['gzip', gzipSync(review)],
      ['deflate', deflateSync(review)],
      ['identity', review],
    ] as const) {
      const reply = await encoded(encoding, body);
      assert.equal(reply.status, 200, `${encoding}: ${reply.text}`);
      assert.equal(reviewResponse(reply).allowed, true);
    }
    const brotli = await encoded('br', review);
    assert.equal(brotli.status, 415);
    assert.match(brotli.text, /Content-Encoding "br" is not supported; send identity, gzip or deflate/);
    const garbage = await encoded('gzip', Buffer.from('not gzip at all'));
    assert.equal(garbage.status, 400);
    assert.match(garbage.text, /request body does not inflate as gzip/);
    // 1 MiB of spaces compresses to about 1 KiB: the limit counts the inflated bytes.
    const bomb = await encoded('gzip', gzipSync(Buffer.alloc(1024 * 1024, 0x20)));
    assert.equal(bomb.status, 413);
    assert.match(bomb.text, /larger than the limit of 65536 bytes/);
  });
});

describe('WebhookServer lifecycle', () => {
  it('lets an in-flight request finish on stop and then refuses connections', async () => {
    const { server, files } = await newTestServer();
    let release: () => void = () => undefined;
    const entered = new Promise<void>((resolveEntered) => {
      server.validate({ group: '', version: 'v1', kind: 'ConfigMap' }, async () => {
        resolveEntered();
        await new Promise<void>((resolve) => (release = resolve));
        return deny('finished after stop began');
      });
    });
    try {
      await server.start();
      const url = server.url;
      const inFlight = send(
        `${url}/validate--v1-configmap`,
        files.caPem,
        JSON.stringify(admissionReview({})),
      );
      await entered;
      const stopped = server.stop();
      release();
      const reply = await inFlight;
      assert.equal(reply.status, 200);
      assert.equal(reviewResponse(reply).status?.message, 'finished after stop began');
      await stopped;
      await assert.rejects(send(`${url}/validate--v1-configmap`, files.caPem, '{}'), /ECONNREFUSED/);
    } finally {
      await server.stop();
      files.remove();
    }
  });

  it("ends a handler's budget before the apiserver's timeoutSeconds", async () => {
    const { server, files } = await newTestServer();
    server.validate(
      { group: 'example.dev', version: 'v1', kind: 'Quick', timeoutSeconds: 1 },
      async (context) => {
        await sleep(5_000, undefined, { signal: context.signal }).catch(() => undefined);
        return allow();
      },
    );
    try {
      await server.start();
      const reply = await send(
        `${server.url}/validate-example-dev-v1-quick`,
        files.caPem,
        JSON.stringify(admissionReview({})),
      );
      const response = reviewResponse(reply);
      assert.equal(response.allowed, false);
      assert.match(response.status?.message ?? '', /did not answer within 500 ms/);
    } finally {
      await server.stop();
      files.remove();
    }
  });

  it('cuts a request that outlives the shutdown bound, and stop() still resolves', async () => {
    const { server, files } = await newTestServer({ shutdownTimeoutMs: 200, handlerTimeoutMs: 60_000 });
    let entered: () => void = () => undefined;
    const handlerEntered = new Promise<void>((resolve) => (entered = resolve));
    server.validate({ group: '', version: 'v1', kind: 'ConfigMap' }, () => {
      entered();
      return new Promise<never>(() => undefined);
    });
    try {
      await server.start();
      const stuck = send(
        `${server.url}/validate--v1-configmap`,
        files.caPem,
        JSON.stringify(admissionReview({})),
      );
      await handlerEntered;
      await server.stop();
      await assert.rejects(stuck, /socket hang up|ECONNRESET/);
    } finally {
      await server.stop();
      files.remove();
    }
  });

  it('serves from explicit certFile/keyFile, and routes added to app before start()', async () => {
    const files = await writeServingFiles();
    const server = new WebhookServer({
      host: '127.0.0.1',
      port: 0,
      certFile: files.certFile,
      keyFile: files.keyFile,
      logger: silentLogger,
    });
    server.app.get('/healthz', (_request, response) => {
      response.type('text/plain').send('ok');
    });
    server.validate({ group: '', version: 'v1', kind: 'ConfigMap' }, () => allow());
    try {
      await server.start();
      const health = await send(`${server.url}/healthz`, files.caPem, undefined, { method: 'GET' });
      assert.equal(health.status, 200);
      assert.equal(health.text, 'ok');
      const reply = await send(
        `${server.url}/validate--v1-configmap`,
        files.caPem,
        JSON.stringify(admissionReview({})),
      );
      assert.equal(reviewResponse(reply).allowed, true);
    } finally {
      await server.stop();
      files.remove();
    }
  });

  it('takes a client that leaves mid-body as the client’s doing: nothing logged as an error, and it goes on serving', async () => {
    const lines: { level: number; msg: string; status?: number }[] = [];
    const logger = pino(
      { level: 'debug' },
      { write: (line: string) => lines.push(JSON.parse(line) as (typeof lines)[number]) },
    );
    const { server, files } = await newTestServer({ logger });
    server.validate({ group: '', version: 'v1', kind: 'ConfigMap' }, () => allow());
    try {
      await server.start();
      await new Promise<void>((resolve) => {
        const outgoing = httpsRequest(`${server.url}/validate--v1-configmap`, {
          method: 'POST',
          ca: files.caPem,
          agent: false,
          headers: { 'content-type': 'application/json', 'content-length': '1000' },
        });
        outgoing.on('error', () => {
          resolve();
        });
        outgoing.write('{"apiVersion":', () => setTimeout(() => outgoing.destroy(), 50));
      });
      await waitFor(() =>
        lines.some((line) => line.msg === 'webhook request refused' && line.status === 400),
      );
      const reply = await send(
        `${server.url}/validate--v1-configmap`,
        files.caPem,
        JSON.stringify(admissionReview({})),
      );
      assert.equal(reviewResponse(reply).allowed, true);
      assert.deepEqual(
        lines.filter((line) => line.level >= 50),
        [],
      );
    } finally {
      await server.stop();
      files.remove();
    }
  });

  it('refuses to register two handlers at one path', async () => {
    const { server, files } = await newTestServer();
    files.remove();
    server.validate({ group: '', version: 'v1', kind: 'ConfigMap' }, () => allow());
    assert.throws(
      () => server.validate({ group: '', version: 'v1', kind: 'ConfigMap' }, () => allow()),
      /already registered at \/validate--v1-configmap/,
    );
  });

  it('fails to start without a certificate, with a message naming the options', async () => {
    const server = new WebhookServer({ host: '127.0.0.1', port: 0 });
    await assert.rejects(
      server.start(),
      /no serving certificate: set certFile and keyFile, certDir or devCertificates/,
    );
  });
});
