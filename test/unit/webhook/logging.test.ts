import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { allow } from '../../../sdk/webhook/index.ts';
import { admissionReview, newTestServer, send } from './fixtures.ts';

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A pino logger at `level` whose lines are collected, parsed, for assertions. */
function capturingLogger(level: string) {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}

const PINO_DEBUG = 20;
const PINO_INFO = 30;
const PINO_ERROR = 50;

describe('webhook logs and metrics', () => {
  it('logs each review at debug with uid, kind, operation, namespace and name, and failures at error', async () => {
    const { logger, lines } = capturingLogger('debug');
    const { server, files } = await newTestServer({ logger });
    server.validate({ group: '', version: 'v1', kind: 'ConfigMap' }, (context) => {
      if (context.name === 'explode') throw new Error('kaboom');
      return allow();
    });
    try {
      await server.start();
      const post = (body: unknown) =>
        send(`${server.url}/validate--v1-configmap`, files.caPem, JSON.stringify(body));
      await post(admissionReview({ uid: 'log-1', operation: 'UPDATE', namespace: 'ns-a', name: 'cm-a' }));
      await post(admissionReview({ uid: 'log-2', name: 'explode' }));

      const reviewed = lines.find((line) => line.msg === 'admission reviewed' && line['uid'] === 'log-1');
      assert.ok(reviewed, JSON.stringify(lines));
      assert.equal(reviewed.level, PINO_DEBUG);
      assert.equal(reviewed['kind'], 'ConfigMap');
      assert.equal(reviewed['operation'], 'UPDATE');
      assert.equal(reviewed['namespace'], 'ns-a');
      assert.equal(reviewed['name'], 'cm-a');
      assert.equal(reviewed['allowed'], true);

      const failed = lines.find((line) => line.msg === 'webhook handler failed');
      assert.equal(failed?.level, PINO_ERROR);
      assert.equal(failed['uid'], 'log-2');
      assert.match(JSON.stringify(failed['err']), /kaboom/);
    } finally {
      await server.stop();
      files.remove();
    }
  });

  it('logs nothing per request at the default info level', async () => {
    const { logger, lines } = capturingLogger('info');
    const { server, files } = await newTestServer({ logger });
    server.validate({ group: '', version: 'v1', kind: 'ConfigMap' }, () => allow());
    try {
      await server.start();
      const before = lines.length;
      for (let i = 0; i < 5; i++)
        await send(`${server.url}/validate--v1-configmap`, files.caPem, JSON.stringify(admissionReview({})));
      assert.deepEqual(lines.slice(before), []);
      assert.ok(lines.every((line) => line.level >= PINO_INFO));
    } finally {
      await server.stop();
      files.remove();
    }
  });

  it('counts refused methods and content types under their status codes', async () => {
    const registry = new Registry();
    const { server, files } = await newTestServer({ registry });
    server.validate({ group: '', version: 'v1', kind: 'ConfigMap' }, () => allow());
    try {
      await server.start();
      const url = `${server.url}/validate--v1-configmap`;
      await send(url, files.caPem, undefined, { method: 'GET' });
      await send(url, files.caPem, '{}', { contentType: 'text/plain' });
      const text = await registry.metrics();
      assert.match(
        text,
        /controller_runtime_webhook_requests_total\{webhook="\/validate--v1-configmap",code="405"\} 1/,
      );
      assert.match(
        text,
        /controller_runtime_webhook_requests_total\{webhook="\/validate--v1-configmap",code="415"\} 1/,
      );
    } finally {
      await server.stop();
      files.remove();
    }
  });
});
