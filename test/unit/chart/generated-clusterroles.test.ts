// The chart's ClusterRole rules are generated, one file per operator, from operators/deployment/operator.ts,
// operators/statefulset/operator.ts, operators/drop-in.ts and operators/sla/operator.ts; `npm test` fails when a file in
// charts/typerator-operators/files/ no longer matches what the controllers declare.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runProcess } from '../../support/run-process.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The commands of an npm script made of `a && b && c`, each split into words. */
function scriptCommands(name: string): string[][] {
  const manifest = JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')) as {
    scripts: Record<string, string>;
  };
  const script = manifest.scripts[name];
  assert.ok(script, `package.json has a ${name} script`);
  return script.split(' && ').map((command) => command.trim().split(/\s+/));
}

/** The value after `flag` in a command. */
const flagValue = (command: readonly string[], flag: string): string | undefined =>
  command[command.indexOf(flag) + 1];

describe('charts/typerator-operators/files/clusterrole-<operator>.yaml', () => {
  it('rbac:generate and rbac:check cover each operator of the chart, with the same files', () => {
    const generate = scriptCommands('rbac:generate');
    const check = scriptCommands('rbac:check');
    const entries = (commands: string[][]) =>
      commands.map((c) => [flagValue(c, '--entry'), flagValue(c, '--out')]);
    assert.deepEqual(entries(generate), [
      ['operators/deployment/operator.ts', 'charts/typerator-operators/files/clusterrole-deployment.yaml'],
      ['operators/statefulset/operator.ts', 'charts/typerator-operators/files/clusterrole-statefulset.yaml'],
      ['operators/drop-in.ts', 'charts/typerator-operators/files/clusterrole-apps-v1.yaml'],
      ['operators/sla/operator.ts', 'charts/typerator-operators/files/clusterrole-sla.yaml'],
    ]);
    assert.deepEqual(entries(check), entries(generate));
    for (const [, out] of entries(generate)) assert.ok(existsSync(`${repoRoot}${out}`), `${out} exists`);
  });

  it('is what `npm run rbac:check` regenerates (run `npm run rbac:generate` when this fails)', async () => {
    // The npm script itself, so the test and the script cannot drift apart.
    for (const [command, ...args] of scriptCommands('rbac:check')) {
      assert.equal(command, 'node');
      assert.ok(args.includes('--check'));
      const result = await runProcess(process.execPath, args, { cwd: repoRoot });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /is up to date/);
    }
  });
});
