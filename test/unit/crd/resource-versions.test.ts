// Versions of one kind must agree on names and scope and have exactly one storage version.
import { before, describe, it } from 'node:test';
import { ResourceDeclarationError, type CrdSourceError } from '../../../sdk/crd/index.ts';
import { assertError, generationErrors, lineOf } from './expect-errors.ts';

const fixture = 'test/fixtures/crd/invalid/versions.ts';

describe('resource versions', () => {
  let errors: readonly CrdSourceError[];
  before(() => {
    errors = generationErrors(fixture);
  });
  const expectDeclaration = (lineText: string, message: RegExp) =>
    assertError(errors, {
      type: ResourceDeclarationError,
      fixture,
      line: lineOf(fixture, lineText),
      path: '',
      message,
    });

  it('rejects two storage versions, pointing at the second', () => {
    expectDeclaration(
      'export interface ThingV1 ',
      /Thing has 2 versions \(v2, v1\) and 2 marked @storage\. Fix: mark exactly one version with @storage/,
    );
  });
  it('rejects several versions without a storage version', () => {
    expectDeclaration(
      'export interface OtherV2 ',
      /Other has 2 versions \(v2, v1\) and none marked @storage/,
    );
  });
  it('rejects versions that disagree on the scope', () => {
    expectDeclaration(
      '@scope Namespaced',
      /@scope "Namespaced" differs from "Cluster" on another version of the same kind/,
    );
  });
  it('requires @version on a resource', () => {
    expectDeclaration('export interface Unversioned', /resource Unversioned has @group but no @version/);
  });
});
