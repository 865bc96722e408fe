import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { V1ClusterRole, V1SubjectAccessReview } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { Client } from '../../../sdk/client/client.ts';
import { ForbiddenError } from '../../../sdk/client/errors.ts';
import { kinds, resourceKind } from '../../../sdk/client/resource-kind.ts';
import { startControlPlane, type ControlPlane } from '../../../sdk/testing/index.ts';
import { installWidgetCrd } from '../../support/widget-crd.ts';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../../bin/typerator.js', import.meta.url));
const entry = fileURLToPath(new URL('../../fixtures/runtime/rbac-operator.ts', import.meta.url));
const accessReviews = resourceKind<V1SubjectAccessReview>(
  'authorization.k8s.io/v1',
  'SubjectAccessReview',
  'subjectaccessreviews',
);

describe('typerator rbac generate', () => {
  let plane: ControlPlane;
  let admin: Client;
  const folder = mkdtempSync(join(tmpdir(), 'typerator-rbac-'));
  before(async () => {
    plane = await startControlPlane();
    admin = await Client.fromKubeConfig(plane.kubeConfig());
    await installWidgetCrd(admin);
  });
  after(async () => {
    admin.close();
    await plane.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('writes a ClusterRole the apiserver accepts and that grants what the controllers use, and nothing else', async () => {
    const out = join(folder, 'rbac.yaml');
    await run(process.execPath, [
      cli,
      'rbac',
      'generate',
      '--entry',
      entry,
      '--name',
      'widget-operator',
      '--out',
      out,
    ]);
    const yaml = readFileSync(out, 'utf8');
    assert.match(yaml, /Plurals derived from kind names .*: Widget → widgets/);
    const role = parseAllDocuments(yaml)[0]?.toJS() as V1ClusterRole;
    await admin.resource(kinds.ClusterRole).create(role);
    await admin.resource(kinds.ClusterRoleBinding).create({
      metadata: { name: 'widget-operator' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'widget-operator' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'widget-operator-user' }],
    });

    const allowed = async (verb: string, group: string, resource: string, subresource = '') => {
      const review = await admin.resource(accessReviews).create({
        spec: {
          user: 'widget-operator-user',
          resourceAttributes: { verb, group, resource, subresource, namespace: 'default' },
        },
      });
      return review.status?.allowed ?? false;
    };
    assert.equal(await allowed('create', '', 'configmaps'), true);
    assert.equal(await allowed('delete', '', 'configmaps'), true);
    assert.equal(await allowed('watch', '', 'secrets'), true);
    assert.equal(await allowed('delete', '', 'secrets'), false, 'watched kinds are read-only');
    assert.equal(await allowed('patch', 'test.typerator.dev', 'widgets', 'status'), true);
    assert.equal(
      await allowed('create', 'test.typerator.dev', 'widgets'),
      false,
      'the reconciled kind is not created',
    );
    assert.equal(await allowed('create', '', 'events'), true);
    assert.equal(await allowed('get', '', 'pods', 'log'), true, 'permit() adds explicit permissions');
    assert.equal(await allowed('list', '', 'pods'), false);

    // The same through a real request, impersonating the operator's user.
    const asOperator = await Client.fromKubeConfig(plane.kubeConfig(), {
      impersonate: { user: 'widget-operator-user' },
    });
    try {
      await asOperator.resource(kinds.ConfigMap).list({ namespace: 'default' });
      await assert.rejects(asOperator.resource(kinds.Pod).list({ namespace: 'default' }), ForbiddenError);
    } finally {
      asOperator.close();
    }
  });

  it('--check fails on a stale file and passes on a fresh one; a module without setup() is a clear error', async () => {
    const out = join(folder, 'check.yaml');
    writeFileSync(out, '# stale\n');
    await assert.rejects(
      run(process.execPath, [cli, 'rbac', 'generate', '--entry', entry, '--out', out, '--check']),
      (error: { code?: number; stderr?: string }) => {
        assert.equal(error.code, 1);
        assert.match(error.stderr ?? '', /check\.yaml is stale/);
        return true;
      },
    );
    await run(process.execPath, [cli, 'rbac', 'generate', '--entry', entry, '--out', out]);
    await run(process.execPath, [cli, 'rbac', 'generate', '--entry', entry, '--out', out, '--check']);
    const bad = join(folder, 'no-setup.ts');
    writeFileSync(bad, 'export const nothing = 1;\n');
    await assert.rejects(
      run(process.execPath, [cli, 'rbac', 'generate', '--entry', bad]),
      (error: { stderr?: string }) =>
        /no-setup\.ts: the module must export a function `setup\(manager\)`/.test(error.stderr ?? ''),
    );
  });
});
