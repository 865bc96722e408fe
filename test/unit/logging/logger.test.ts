import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, it } from 'node:test';
import { createLogger, LogSettingError } from '../../../sdk/logging/logger.ts';

function capture(isTTY = false): { stream: Writable & { isTTY?: boolean }; text: () => string } {
  let text = '';
  const stream: Writable & { isTTY?: boolean } = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  stream.isTTY = isTTY;
  return { stream, text: () => text };
}

describe('createLogger', () => {
  it('writes JSON when not on a terminal, with the component under `logger` so an object `name` survives', () => {
    const out = capture();
    createLogger({ component: 'demo-operator', destination: out.stream, level: 'info' }).info(
      { name: 'web', namespace: 'default' },
      'reconciled',
    );
    const line = JSON.parse(out.text()) as Record<string, unknown>;
    assert.equal(line['logger'], 'demo-operator');
    assert.equal(line['name'], 'web');
    assert.equal(line['msg'], 'reconciled');
  });

  it('writes readable lines on a terminal: controller, namespace/name, message', () => {
    const out = capture(true);
    createLogger({ component: 'demo', destination: out.stream, level: 'info' }).info(
      { controller: 'deployments', name: 'web', namespace: 'default', writes: 2 },
      'reconciled',
    );
    assert.notEqual(stripVTControlCharacters(out.text()), out.text(), 'coloured on a terminal');
    const plain = stripVTControlCharacters(out.text());
    assert.match(plain, /INFO: deployments default\/web: reconciled\n {4}writes: 2\n/);
  });

  it('follows LOG_FORMAT and refuses a malformed LOG_LEVEL or LOG_FORMAT naming the variable', () => {
    const saved = { ...process.env };
    try {
      process.env['LOG_FORMAT'] = 'json';
      const out = capture(true);
      createLogger({ destination: out.stream }).info('hello');
      assert.equal((JSON.parse(out.text()) as { msg: string }).msg, 'hello');
      process.env['LOG_LEVEL'] = 'loud';
      assert.throws(
        () => createLogger({ destination: capture().stream }),
        (error: unknown) =>
          error instanceof LogSettingError && /^LOG_LEVEL=loud is not a log level/.test(error.message),
      );
      process.env['LOG_LEVEL'] = 'debug';
      process.env['LOG_FORMAT'] = 'xml';
      assert.throws(
        () => createLogger({ destination: capture().stream }),
        /^LogSettingError: LOG_FORMAT=xml/,
      );
    } finally {
      process.env = saved;
    }
  });
});
