import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListBodyError, ListBodyParser } from '../../../sdk/client/list-body-parser.ts';

/** Feeds `text` to a parser in chunks of the given sizes (cycled) and returns the result. */
function parseInChunks(text: string, sizes: readonly number[]): Record<string, unknown> {
  const bytes = Buffer.from(text, 'utf8');
  const parser = new ListBodyParser();
  for (let at = 0, n = 0; at < bytes.length; n++) {
    const size = sizes[n % sizes.length] ?? 1;
    parser.push(bytes.subarray(at, at + size));
    at += size;
  }
  return parser.finish();
}

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Strings that stress the scanner: structure inside strings, escapes, multi-byte characters. */
const NASTY = ['{', '}', '[', ']', '"', '\\', '\\"', 'items', '"items":[', 'é', '日本', '🚀', '\n', ',', ''];

function value(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 4 : 7));
  switch (pick) {
    case 0:
      return `${NASTY[Math.floor(next() * NASTY.length)] ?? ''}${Math.floor(next() * 100)}`;
    case 1:
      return Math.floor(next() * 1e6) / 100;
    case 2:
      return next() < 0.5 ? null : next() < 0.5;
    case 3:
      return NASTY.slice(0, Math.floor(next() * NASTY.length)).join('');
    case 4:
      return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: Math.floor(next() * 4) }, (_, i) => [
          i === 0 && next() < 0.3 ? 'items' : `${NASTY[Math.floor(next() * NASTY.length)]}k${i}`,
          value(next, depth + 1),
        ]),
      );
  }
}

describe('ListBodyParser', () => {
  it('gives what JSON.parse gives for random lists, in any chunking', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const next = random(seed);
      const items = Array.from({ length: Math.floor(next() * 6) }, () => ({
        metadata: { name: `n${seed}`, labels: value(next, 2) },
        data: value(next, 1),
      }));
      const before = next() < 0.5 ? { metadata: { resourceVersion: '12', continue: '{"x":[' } } : {};
      const body = { kind: 'ConfigMapList', apiVersion: 'v1', ...before, items, trailer: value(next, 1) };
      const text = JSON.stringify(body, null, seed % 3 === 0 ? 1 : undefined);
      for (const sizes of [[1], [3, 7], [64], [text.length]])
        assert.deepEqual(
          parseInChunks(text, sizes),
          JSON.parse(text),
          `seed ${seed}, chunks ${sizes.join(',')}`,
        );
    }
  });

  it('finds the quotes that end strings after any run of backslashes, split anywhere', () => {
    // Runs of escaped backslashes before the closing quote, an escaped quote or structure, at the
    // start of a string and around and past the point where the scan switches to a native search.
    for (const pad of [0, 1, 29, 30, 31, 32, 33, 60]) {
      const strings = [0, 1, 2, 3, 17, 40].flatMap((run) =>
        ['', '}', '"', '],"'].map((tail) => `${'a'.repeat(pad)}${'\\'.repeat(run)}${tail}`),
      );
      const text = JSON.stringify({
        ...Object.fromEntries(strings.map((s, i) => [s, i])),
        items: [{ data: Object.fromEntries(strings.map((s, i) => [s, i])) }, { list: strings }],
        after: strings,
      });
      const expected: unknown = JSON.parse(text);
      const length = Buffer.byteLength(text);
      for (let at = 0; at <= length; at++)
        assert.deepEqual(parseInChunks(text, [at, length]), expected, `pad ${pad}, split at ${at}`);
      for (const sizes of [[1], [2], [3], [5, 11], [33], [34], [35], [37]])
        assert.deepEqual(parseInChunks(text, sizes), expected, `pad ${pad}, chunks ${sizes.join(',')}`);
    }
  });

  it('takes only the top-level items key as the list', () => {
    const decoys = {
      metadata: { items: [{ a: 1 }] },
      'it"ems': [{ b: 2 }],
      'items\\': [{ c: 3 }],
      note: '"items":[{"d":4}]',
    };
    const texts = [
      JSON.stringify({ ...decoys, items: [{ e: 5, items: [{ f: 6 }], s: '"items":[' }], after: decoys }),
      JSON.stringify(decoys),
    ];
    for (const text of texts)
      for (let at = 0; at <= text.length; at++)
        assert.deepEqual(parseInChunks(text, [at, text.length]), JSON.parse(text), `${text}, split at ${at}`);
  });

  it('parses each element as soon as it is complete', () => {
    const parser = new ListBodyParser();
    parser.push(Buffer.from('{"kind":"List","items":[{"a":1},{"b":'));
    assert.deepEqual(parser.items, [{ a: 1 }]);
    parser.push(Buffer.from('2}]}'));
    assert.deepEqual(parser.items, [{ a: 1 }, { b: 2 }]);
    assert.deepEqual(parser.finish(), { kind: 'List', items: [{ a: 1 }, { b: 2 }] });
  });

  it('keeps bodies without an items array as they are', () => {
    assert.deepEqual(parseInChunks('{"kind":"Status","items":null}', [5]), { kind: 'Status', items: null });
    assert.deepEqual(parseInChunks('{"kind":"Status"}', [5]), { kind: 'Status' });
    assert.deepEqual(parseInChunks(' { "items" : [ ] } ', [1]), { items: [] });
  });

  it('refuses what is not a JSON list object, saying what is wrong', () => {
    const fails = (text: string, message: RegExp) =>
      assert.throws(
        () => parseInChunks(text, [4]),
        (error: unknown) => error instanceof ListBodyError && message.test(error.message),
      );
    fails('[1,2]', /not a JSON object/);
    fails('{"items":[1]}', /element of items is not an object/);
    fails('{"items":[[]]}', /element of items is not an object/);
    fails('{"items":["a"]}', /element of items is not an object/);
    fails('{"items":[{"a":1},"b"]}', /element of items is not an object/);
    fails('{"items":[{"a":}]}', /element of items is not valid JSON/);
    fails('{"items":[{"a":1}]', /ended before/);
    fails('{"kind":nope,"items":[]}', /the body is not valid JSON/);
  });
});
