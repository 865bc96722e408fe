import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findProjectManifest } from '../../../sdk/cli/project-manifest.ts';
import {
  loadProjectOperator,
  programName,
  projectOperators,
  ProjectOperatorsError,
} from '../../../sdk/cli/project-operators.ts';
import { loadDevConfig } from '../../../sdk/dev/dev-config.ts';
import type { Manager } from '../../../sdk/manager/manager.ts';

const root = mkdtempSync(join(tmpdir(), 'typerator-project-operators-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A project folder with this package.json `typerator` section and files. */
function project(name: string, typerator: unknown, files: Record<string, string> = {}): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, typerator }));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

const declared = (dir: string) => {
  const manifest = findProjectManifest(dir);
  assert.ok(manifest);
  return projectOperators(manifest);
};

describe('projectOperators', () => {
  it('reads typerator.operators (name → module) in the order written, paths against the package.json', () => {
    const dir = project(
      'shop',
      { operators: { orders: './src/orders.ts', 'in.voices_2': 'src/invoices.ts' } },
      { 'src/orders.ts': '', 'src/invoices.ts': '' },
    );
    const file = join(dir, 'package.json');
    assert.deepEqual(declared(join(dir, 'src')), [
      { name: 'orders', module: join(dir, 'src/orders.ts'), declaredIn: file },
      { name: 'in.voices_2', module: join(dir, 'src/invoices.ts'), declaredIn: file },
    ]);
    assert.deepEqual(declared(project('none', { dev: {} })), []);
  });

  // [typerator section, the message after "<package.json>: "]
  const refusals: [unknown, string][] = [
    [{ operators: ['./src/a.ts'] }, 'typerator.operators must be an object of name → module path'],
    [
      { operators: { 'a,b': './src/a.ts' } },
      'typerator.operators: "a,b" cannot name an operator: use letters, digits, ".", "_" and "-"',
    ],
    [{ operators: { a: 3 } }, 'typerator.operators.a must be a module path (a string)'],
    [{ operators: { a: './src/gone.ts' } }, 'typerator.operators.a: ./src/gone.ts does not exist'],
  ];
  for (const [index, [typerator, message]] of refusals.entries())
    it(`names the package.json and the field: ${message}`, () => {
      const dir = project(`bad-${index}`, typerator);
      assert.throws(
        () => declared(dir),
        (error: unknown) =>
          error instanceof ProjectOperatorsError &&
          error.message === `${join(dir, 'package.json')}: ${message}`,
      );
    });

  it('loads a module exporting setup (named or default) as the operator registered under its name', async () => {
    const calls: string[] = [];
    (globalThis as { projectOperatorCalls?: string[] }).projectOperatorCalls = calls;
    const dir = project(
      'loaded',
      { operators: { named: './src/named.ts', fallback: './src/default.ts', none: './src/none.ts' } },
      {
        'src/named.ts':
          'export function setup(_m, options) { globalThis.projectOperatorCalls.push(`named ${options}`); }\n',
        'src/default.ts':
          'export default function (_m) { globalThis.projectOperatorCalls.push("default"); }\n',
        'src/none.ts': 'export const other = 1;\n',
      },
    );
    const [named, fallback, none] = declared(dir);
    assert.ok(named && fallback && none);
    const manager = {} as Manager;
    const context = { name: 'x', settings: undefined as never, logger: undefined as never };
    await (await loadProjectOperator(named)).setup(manager, context);
    await (await loadProjectOperator(fallback)).setup(manager, context);
    // The module's setup gets the manager only: its second parameter is its own options.
    assert.deepEqual(calls, ['named undefined', 'default']);
    assert.equal((await loadProjectOperator(named)).name, 'named');
    await assert.rejects(
      loadProjectOperator(none),
      (error: unknown) =>
        error instanceof ProjectOperatorsError &&
        error.message ===
          `${join(dir, 'package.json')}: typerator.operators.none: ${join(dir, 'src/none.ts')}: an operator ` +
            'module must export a function setup(manager) (named or default)',
    );
  });
});

describe('programName', () => {
  const table: [string | undefined, string][] = [
    ['shop-operator', 'shop-operator'],
    ['@acme/Shop_Operator', 'shop-operator'],
    ['typerator', 'typerator'],
    ['--', 'typerator'],
    [undefined, 'typerator'],
  ];
  for (const [packageName, name] of table)
    it(`names the process of package ${String(packageName)} "${name}"`, () =>
      assert.equal(programName(packageName), name));
});

describe('typerator dev and typerator.operators', () => {
  it('runs the modules of typerator.operators when typerator.dev.operators is absent', () => {
    const dir = project(
      'dev-fallback',
      { operators: { orders: './src/orders.ts' } },
      { 'src/orders.ts': '' },
    );
    assert.deepEqual(loadDevConfig(dir).operators, [join(dir, 'src/orders.ts')]);
  });
  it('keeps typerator.dev.operators when a project lists them there', () => {
    const dir = project(
      'dev-own',
      { operators: { orders: './src/orders.ts' }, dev: { operators: ['./src/dev.ts'] } },
      { 'src/orders.ts': '', 'src/dev.ts': '' },
    );
    assert.deepEqual(loadDevConfig(dir).operators, [join(dir, 'src/dev.ts')]);
  });
});
