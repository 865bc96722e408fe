import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalJson,
  fnv1a32,
  podTemplateHash,
  safeEncode,
  templatesEqualIgnoringHash,
} from '../../../operators/deployment/logic/hash.ts';
import { template } from './fixtures.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('fnv1a32', () => {
  // Reference values of the FNV-1a 32-bit test suite.
  const cases = [
    { input: '', want: 0x811c9dc5 },
    { input: 'a', want: 0xe40c292c },
    { input: 'foobar', want: 0xbf9cf968 },
  ];
  for (const c of cases) {
    it(`hashes ${JSON.stringify(c.input)}`, () => {
      assert.equal(fnv1a32(bytes(c.input)), c.want);
    });
  }
  it('continues from a previous hash like hashing the concatenation', () => {
    assert.equal(fnv1a32(bytes('bar'), fnv1a32(bytes('foo'))), fnv1a32(bytes('foobar')));
  });
});

describe('safeEncode', () => {
  it('maps the ten digits onto {4,5,6,7,8,9,b,c,d,f}', () => {
    assert.equal(safeEncode('0123456789'), '456789bcdf');
  });
});

describe('podTemplateHash', () => {
  const hashFormat = /^[4-9bcdf]{1,10}$/;

  it('has the upstream format and is stable (golden value pins the algorithm)', () => {
    const hash = podTemplateHash(template());
    assert.match(hash, hashFormat);
    assert.equal(hash, podTemplateHash(template()));
    assert.equal(hash, GOLDEN_HASH);
  });

  it('ignores key order, absent-like values and its own hash label', () => {
    const reordered = {
      spec: { containers: [{ image: 'nginx:1', name: 'web' }] },
      metadata: { labels: { app: 'web' } },
    };
    const withNoise = {
      ...template(),
      metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' }, annotations: {} },
      spec: { containers: [{ name: 'web', image: 'nginx:1', env: [] }] },
    };
    assert.equal(podTemplateHash(reordered), podTemplateHash(template()));
    assert.equal(podTemplateHash(withNoise), podTemplateHash(template()));
  });

  it('changes with the template and with collisionCount, where unset differs from 0', () => {
    const values = [
      podTemplateHash(template()),
      podTemplateHash(template('nginx:2')),
      podTemplateHash(template(), 0),
      podTemplateHash(template(), 1),
      podTemplateHash(template(), 2),
    ];
    assert.equal(new Set(values).size, values.length);
    for (const value of values) assert.match(value, hashFormat);
  });
});

describe('templatesEqualIgnoringHash', () => {
  const cases = [
    { name: 'identical', a: template(), b: template(), want: true },
    {
      name: 'only the hash label differs',
      a: { ...template(), metadata: { labels: { app: 'web', 'pod-template-hash': '5d4f' } } },
      b: template(),
      want: true,
    },
    {
      name: 'empty and missing lists and maps are equal',
      a: {
        metadata: { labels: { app: 'web' }, annotations: {} },
        spec: { containers: [{ name: 'web', image: 'nginx:1', ports: [] }] },
      },
      b: template(),
      want: true,
    },
    { name: 'image differs', a: template('nginx:1'), b: template('nginx:2'), want: false },
    {
      name: 'another label differs',
      a: { ...template(), metadata: { labels: { app: 'web', tier: 'front' } } },
      b: template(),
      want: false,
    },
    { name: 'one side missing', a: undefined, b: template(), want: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(templatesEqualIgnoringHash(c.a, c.b), c.want);
      assert.equal(templatesEqualIgnoringHash(c.b, c.a), c.want);
    });
  }

  it('canonical JSON sorts keys at every level', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } }),
      '{"a":{"d":[2,{"e":0,"f":1}]},"b":1}',
    );
  });
});

// FNV-1a of the canonical JSON is 3192300490 (checked with a separate Python implementation).
const GOLDEN_HASH = '75f67448f4';
