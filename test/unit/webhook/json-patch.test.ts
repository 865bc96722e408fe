import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import jsonPatch from 'fast-json-patch';
import { jsonPatchBetween } from '../../../sdk/webhook/index.ts';

describe('jsonPatchBetween', () => {
  it('produces add, replace and remove operations that turn one object into the other', () => {
    const before = { metadata: { name: 'a', labels: { x: '1' } }, spec: { list: [1, 2, 3], gone: true } };
    const after = { metadata: { name: 'a', labels: { x: '2', y: '3' } }, spec: { list: [1, 3] } };
    const patch = jsonPatchBetween(before, after);
    assert.ok(patch.some((op) => op.op === 'replace' && op.path === '/metadata/labels/x'));
    assert.ok(patch.some((op) => op.op === 'add' && op.path === '/metadata/labels/y'));
    assert.ok(patch.some((op) => op.op === 'remove' && op.path === '/spec/gone'));
    assert.deepEqual(jsonPatch.applyPatch(structuredClone(before), patch).newDocument, after);
  });

  it('escapes keys with slashes and tildes (annotation names) per RFC 6901', () => {
    const patch = jsonPatchBetween({ metadata: {} }, { metadata: { annotations: { 'a/b~c': 'v' } } });
    assert.deepEqual(patch, [{ op: 'add', path: '/metadata/annotations', value: { 'a/b~c': 'v' } }]);
    const nested = jsonPatchBetween({ a: { 'x/y~z': 1 } }, { a: { 'x/y~z': 2 } });
    assert.deepEqual(nested, [{ op: 'replace', path: '/a/x~1y~0z', value: 2 }]);
  });

  it('treats undefined fields as absent, as the apiserver will', () => {
    assert.deepEqual(jsonPatchBetween({ a: 1 }, { a: 1, b: undefined }), []);
  });

  it('is empty for equal objects', () => {
    assert.deepEqual(jsonPatchBetween({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), []);
  });
});
