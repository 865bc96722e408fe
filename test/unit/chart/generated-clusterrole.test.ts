// The chart's ClusterRole rules are generated from operators/deployment/operator.ts; `npm test` fails
// when files/clusterrole.yaml no longer matches what the controllers declare.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runProcess } from '../../support/run-process.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('charts/typerator-deployment-operator/files/clusterrole.yaml', () => {
  it('is what `npm run rbac:check` regenerates (run `npm run rbac:generate` when this fails)', async () => {
    const manifest = JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')) as {
      scripts: Record<string, string>;
    };
    // The npm script itself, so the test and the script cannot drift apart.
    const [command, ...args] = (manifest.scripts['rbac:check'] ?? '').split(' ');
    assert.equal(command, 'node');
    assert.ok(args.includes('--check'));
    const result = await runProcess(process.execPath, args, { cwd: repoRoot });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /is up to date/);
  });
});
