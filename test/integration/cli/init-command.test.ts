import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { V1ClusterRole, V1CustomResourceDefinition, V1PolicyRule } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { resolveBinary } from '../../../sdk/testing/index.ts';
import { runProcess, type ProcessResult } from '../../support/run-process.ts';

// A user's first hour: `typerator init` with the packed package, npm install, generate the CRDs and
// RBAC, add a kind, and run the new project's own tests against a local control plane.

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const repoManifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};
const work = mkdtempSync(join(tmpdir(), 'typerator-init-'));
const project = join(work, 'demo-operator');
const group = 'demo-operator.example.com';

// The project must run on its own Node (its `node` devDependency, which npm scripts put first on
// PATH), so neither this repository's node_modules/.bin nor the npm settings of a surrounding
// `npm test` reach it; and its `node --test` must not think it is a child of this test runner
// (NODE_TEST_CONTEXT), which would leave its report to a parent that is not listening.
const projectEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => !name.toLowerCase().startsWith('npm_') && name !== 'NODE_TEST_CONTEXT',
  ),
);
projectEnv['PATH'] = (process.env['PATH'] ?? '')
  .split(delimiter)
  .filter((folder) => !folder.startsWith(join(repoRoot, 'node_modules')))
  .join(delimiter);

function assertSucceeded(result: ProcessResult, what: string): void {
  assert.equal(result.code, 0, `${what} failed:\n${result.stdout}\n${result.stderr}`);
}

/** Runs npm in the project, as its user would. */
async function npm(...args: string[]): Promise<ProcessResult> {
  const result = await runProcess('npm', args, { cwd: project, env: projectEnv, timeoutMs: 300_000 });
  assertSucceeded(result, `npm ${args.join(' ')}`);
  return result;
}

/** The first YAML document holding an object (generated files open with a comment document). */
function readObject(path: string): unknown {
  const object = parseAllDocuments(readFileSync(path, 'utf8'))
    .map((document) => document.toJS() as unknown)
    .find((value) => value !== null);
  assert.ok(object, `${path} holds an object`);
  return object;
}

function readCrd(plural: string): V1CustomResourceDefinition {
  return readObject(join(project, 'crds', `${plural}.${group}.yaml`)) as V1CustomResourceDefinition;
}

const grants = (rules: readonly V1PolicyRule[], apiGroup: string, resource: string, verb: string): boolean =>
  rules.some(
    (rule) =>
      rule.apiGroups?.includes(apiGroup) && rule.resources?.includes(resource) && rule.verbs.includes(verb),
  );

const clusterRoleRules = (): V1PolicyRule[] =>
  (readObject(join(project, 'chart', 'files', 'clusterrole.yaml')) as V1ClusterRole).rules ?? [];

describe('typerator init, then the new project on its own', () => {
  before(async () => {
    const packed = await runProcess(
      process.execPath,
      [
        join(repoRoot, 'scripts', 'build-package.ts'),
        '--out',
        join(work, 'package'),
        '--pack',
        join(work, 'packed'),
      ],
      { cwd: repoRoot },
    );
    assertSucceeded(packed, 'packing Typerator');
    const tarball = packed.stdout.trim().split('\n').at(-1) ?? '';
    const init = await runProcess(
      process.execPath,
      [join(repoRoot, 'bin', 'typerator.js'), 'init', project, '--typerator', tarball],
      { cwd: work },
    );
    assertSucceeded(init, 'typerator init');
    await npm('install', '--no-audit', '--no-fund', '--prefer-offline');
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('generates the Widget CRD and a ClusterRole for its controller', async () => {
    await npm('run', 'crd:generate');
    const crd = readCrd('widgets');
    assert.equal(crd.spec.group, group);
    assert.equal(crd.spec.names.kind, 'Widget');
    const [version] = crd.spec.versions;
    assert.equal(version?.name, 'v1');
    assert.deepEqual(version?.subresources, { status: {} });
    assert.deepEqual(
      version?.additionalPrinterColumns?.map((column) => column.name),
      ['Color', 'Ready', 'Age'],
    );
    await npm('run', 'rbac:generate');
    const rules = clusterRoleRules();
    assert.ok(grants(rules, group, 'widgets', 'watch'), 'watches widgets');
    assert.ok(grants(rules, group, 'widgets/status', 'patch'), 'patches their status');
    assert.ok(grants(rules, group, 'widgets/finalizers', 'update'), 'sets finalizers');
    assert.ok(grants(rules, '', 'configmaps', 'create'), 'creates ConfigMaps');
  });

  it('runs on the Node it pins, type-checks, starts main.ts, and renders its chart with the generated CRD and rules', async () => {
    const node = await npm('exec', '--', 'node', '--version');
    assert.equal(node.stdout.trim(), `v${repoManifest.devDependencies['node'] ?? ''}`);
    await npm('run', 'typecheck');
    // src/main.ts loads and refuses a malformed setting with one line naming it, before any cluster.
    const main = await runProcess('npm', ['run', '--silent', 'operator'], {
      cwd: project,
      env: { ...projectEnv, LOG_LEVEL: 'bogus' },
      timeoutMs: 60_000,
    });
    assert.equal(main.code, 1, main.stdout + main.stderr);
    assert.match(main.stdout + main.stderr, /LOG_LEVEL=bogus is not a log level/);
    const helm = await runProcess(
      resolveBinary('helm'),
      ['template', 'demo', 'chart', '--namespace', 'operators', '--include-crds'],
      { cwd: project, env: projectEnv },
    );
    assertSucceeded(helm, 'helm template');
    const kinds = parseAllDocuments(helm.stdout)
      .map((document) => (document.toJS() as { kind?: string } | null)?.kind)
      .filter((kind) => kind !== undefined)
      .sort();
    assert.deepEqual(kinds, [
      'ClusterRole',
      'ClusterRoleBinding',
      'CustomResourceDefinition',
      'Deployment',
      'Role',
      'RoleBinding',
      'ServiceAccount',
    ]);
  });

  it('adds a Gadget kind with create api: a second CRD, and RBAC for its controller', async () => {
    const created = await npm('exec', '--', 'typerator', 'create', 'api', 'Gadget');
    assert.match(created.stdout, /updated src\/operator\.ts/);
    await npm('run', 'crd:generate');
    const crd = readCrd('gadgets');
    assert.equal(crd.spec.names.kind, 'Gadget');
    assert.ok(existsSync(join(project, 'crds', `widgets.${group}.yaml`)));
    await npm('run', 'rbac:generate');
    assert.ok(grants(clusterRoleRules(), group, 'gadgets/status', 'patch'));
  });

  it('has an installed typerator that makes projects with the same pins', async () => {
    const second = join(work, 'second-operator');
    await npm('exec', '--', 'typerator', 'init', second);
    const pins = (folder: string) => {
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
        devDependencies: Record<string, string>;
      };
      return { ...manifest.devDependencies, clientNode: manifest.dependencies['@kubernetes/client-node'] };
    };
    assert.deepEqual(pins(second), pins(project));
  });

  it('passes its own npm test: webhook logic, and the controller on a real control plane', async () => {
    const result = await npm('test');
    assert.match(result.stdout, /(ℹ|#) fail 0\n/);
    assert.match(result.stdout, /(ℹ|#) pass 3\n/);
  });

  it('starts under npm start (typerator dev): CRDs, the operator with its webhooks, both samples', async () => {
    const result = await npm('start', '--', '--once', '--name', `init-test-${process.pid}`, '--nodes', '1');
    const output = result.stdout + result.stderr;
    assert.match(output, /installing 2 CRDs from crds/);
    assert.match(output, /webhooks https:\/\/127\.0\.0\.1:\d+ \(dev certificates\)/);
    assert.match(output, /all 2 samples are ready/);
  });
});
