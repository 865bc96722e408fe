import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { PrometheusClient, PrometheusQueryError } from '../../../operators/sla/observe/prometheus-client.ts';

// A stand-in for Prometheus's query endpoint: the answer is chosen by the query text.
type Answer = (query: string, response: ServerResponse) => void;
const json =
  (status: number, body: unknown): Answer =>
  (_query, response) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
const answers: Record<string, Answer> = {
  vector: json(200, {
    status: 'success',
    data: {
      resultType: 'vector',
      result: [
        { metric: { le: '0.2' }, value: [1700000000.5, '0.97'] },
        { metric: { le: '+Inf' }, value: [1700000000.5, 'NaN'] },
      ],
    },
  }),
  scalar: json(200, { status: 'success', data: { resultType: 'scalar', result: [1700000000, '3'] } }),
  empty: json(200, { status: 'success', data: { resultType: 'vector', result: [] } }),
  bad: json(400, { status: 'error', errorType: 'bad_data', error: 'parse error at char 4' }),
  html: (_query, response) => {
    response.writeHead(502, { 'content-type': 'text/html' });
    response.end('<html>bad gateway</html>');
  },
  matrix: json(200, { status: 'success', data: { resultType: 'matrix', result: [] } }),
  slow: () => {
    // never answers
  },
};

let server: Server;
let url: string;
const seen: { method: string | undefined; time: string | null }[] = [];

before(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const form = new URLSearchParams(body);
      seen.push({ method: request.method, time: form.get('time') });
      const answer = request.url === '/api/v1/query' ? answers[form.get('query') ?? ''] : undefined;
      (answer ?? json(404, { status: 'error', errorType: 'not_found', error: 'no such path' }))(
        form.get('query') ?? '',
        response,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

describe('PrometheusClient', () => {
  it('reads an instant vector, keeping NaN as NaN and the time in ms', async () => {
    const samples = await new PrometheusClient(url).query('vector', new Date(1_700_000_000_000));
    assert.deepEqual(samples[0], { labels: { le: '0.2' }, value: 0.97, timestampMs: 1_700_000_000_500 });
    assert.ok(Number.isNaN(samples[1]?.value));
    assert.deepEqual(seen.at(-1), { method: 'POST', time: '1700000000' });
  });

  it('reads a scalar as one sample without labels and an empty vector as no samples', async () => {
    const client = new PrometheusClient(url);
    assert.deepEqual(await client.query('scalar'), [
      { labels: {}, value: 3, timestampMs: 1_700_000_000_000 },
    ]);
    assert.deepEqual(await client.query('empty'), []);
  });

  it('names the server, the failure and the query when Prometheus refuses it', async () => {
    await assert.rejects(new PrometheusClient(url).query('bad'), (error: unknown) => {
      assert.ok(error instanceof PrometheusQueryError);
      assert.equal(error.failure, 'rejected');
      assert.match(error.message, /\/api\/v1\/query: bad_data: parse error at char 4 \(query: bad\)/);
      return true;
    });
  });

  it('tells a non-JSON answer, a wrong result type, a timeout and a closed port apart', async () => {
    const failure = async (client: PrometheusClient, query: string) => {
      try {
        await client.query(query);
      } catch (error) {
        assert.ok(error instanceof PrometheusQueryError, String(error));
        return error.failure;
      }
      assert.fail('the query succeeded');
    };
    const client = new PrometheusClient(url, { timeoutMs: 300 });
    assert.equal(await failure(client, 'html'), 'http');
    assert.equal(await failure(client, 'matrix'), 'malformed');
    assert.equal(await failure(client, 'slow'), 'timeout');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    assert.equal(await failure(new PrometheusClient(`http://127.0.0.1:${port}`), 'vector'), 'unreachable');
  });
});
