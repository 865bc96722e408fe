import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScaffoldError } from '../../../sdk/cli/scaffold/scaffold-error.ts';
import { checkKind, kindNames } from '../../../sdk/cli/scaffold/kind-names.ts';
import { checkProjectName, defaultGroup } from '../../../sdk/cli/scaffold/project-name.ts';
import { typeratorDependency } from '../../../sdk/cli/scaffold/init-project.ts';

describe('scaffold names', () => {
  it('spells a kind for files, identifiers, constants and the plural the CRD generator derives', () => {
    assert.deepEqual(kindNames('DatabaseBackup', 'shop.example.com', 'v1beta1'), {
      kind: 'DatabaseBackup',
      fileStem: 'database-backup',
      variable: 'databaseBackup',
      constant: 'DATABASE_BACKUP',
      plural: 'databasebackups',
      group: 'shop.example.com',
      version: 'v1beta1',
      apiVersion: 'shop.example.com/v1beta1',
    });
    const route = kindNames('HTTPRoute', 'net.example.com', 'v1');
    assert.equal(route.fileStem, 'http-route');
    assert.equal(route.variable, 'httpRoute');
    assert.equal(kindNames('Policy', 'a.example.com', 'v1').plural, 'policies');
  });

  it('refuses kinds that are not PascalCase, and bad groups and versions, with a ScaffoldError', () => {
    for (const kind of ['gadget', 'Gadget-X', 'Gad get', '9Lives', ''])
      assert.throws(
        () => checkKind(kind),
        (error: Error) => error instanceof ScaffoldError && /PascalCase/.test(error.message),
      );
    assert.throws(() => kindNames('Gadget', 'nodot', 'v1'), /"nodot" is not a valid API group/);
    assert.throws(() => kindNames('Gadget', 'a.example.com', '1'), /"1" is not a valid API version/);
  });

  it('takes a project name that is a DNS label, and derives the default group from it', () => {
    assert.equal(checkProjectName('demo-operator'), 'demo-operator');
    for (const name of ['Demo', 'demo_operator', '-demo', 'a'.repeat(54)])
      assert.throws(() => checkProjectName(name), /cannot name a project.*--name/);
    assert.equal(defaultGroup('demo-operator'), 'demo-operator.example.com');
  });

  it('depends on ^<version> by default, and on a path as an absolute file: spec', () => {
    assert.equal(typeratorDependency(undefined, '0.1.0', '/work'), '^0.1.0');
    assert.equal(
      typeratorDependency('out/typerator-0.1.0.tgz', '0.1.0', '/work'),
      'file:/work/out/typerator-0.1.0.tgz',
    );
    assert.equal(typeratorDependency('../typerator', '0.1.0', '/work/x'), 'file:/work/typerator');
    assert.equal(typeratorDependency('^0.2.0', '0.1.0', '/work'), '^0.2.0');
    assert.equal(typeratorDependency('file:../t.tgz', '0.1.0', '/work'), 'file:../t.tgz');
  });
});
