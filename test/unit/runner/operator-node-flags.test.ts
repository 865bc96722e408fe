// The images run operators with Typerator's V8 flags: the example operators' two Containerfiles and
// the Dockerfile `typerator init` writes all put them before the script.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { dockerfile } from '../../../sdk/cli/scaffold/container-image.ts';
import { OPERATOR_NODE_FLAGS } from '../../../sdk/runner/operator-node-flags.ts';

/** The exec-form ENTRYPOINT of a Containerfile, as an array of words. */
function entrypointOf(containerfile: string): string[] {
  const line = containerfile.split('\n').find((text) => text.startsWith('ENTRYPOINT '));
  assert.ok(line, 'an ENTRYPOINT line');
  return JSON.parse(line.slice('ENTRYPOINT '.length)) as string[];
}

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

describe('operator node flags', () => {
  it('cap the young generation', () => {
    assert.ok(OPERATOR_NODE_FLAGS.some((flag) => flag.startsWith('--max-semi-space-size=')));
  });

  for (const [name, text, script] of [
    ['image/Containerfile', read('image/Containerfile'), 'operators/main.js'],
    ['image/Containerfile.scratch', read('image/Containerfile.scratch'), 'operators/main.js'],
    ['the scaffolded Dockerfile', dockerfile('24.21.0'), 'src/main.ts'],
  ] as const)
    it(`are what ${name} runs node with, before the script`, () => {
      const words = entrypointOf(text);
      assert.match(words[0] ?? '', /(^|\/)node$/);
      assert.deepEqual(words.slice(1), [...OPERATOR_NODE_FLAGS, script]);
    });
});
