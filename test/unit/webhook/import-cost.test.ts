// A webhook-only process imports typerator/webhook; it must not load all of @kubernetes/client-node
// (about 0.3 s of CPU and 60 MiB before any work), which only the CA-bundle injector needs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const entry = fileURLToPath(new URL('../../../sdk/webhook/index.ts', import.meta.url));

describe('typerator/webhook', () => {
  it('loads without @kubernetes/client-node', () => {
    const probe = `
      import { registerHooks } from 'node:module';
      const loaded = [];
      registerHooks({ resolve(specifier, context, next) { loaded.push(specifier); return next(specifier, context); } });
      await import(${JSON.stringify(entry)});
      console.log(JSON.stringify(loaded));`;
    const loaded = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' }),
    ) as string[];
    assert.ok(loaded.includes('express'), 'the probe sees the webhook server’s own imports');
    assert.ok(!loaded.includes('@kubernetes/client-node'), `client-node was loaded: ${loaded.join(', ')}`);
  });
});
