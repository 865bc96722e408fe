import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { generateRbacYaml } from '../../../sdk/cli/rbac-command.ts';
import { operatorOptionsFromEnvironment } from '../../../operators/deployment/operator.ts';

const entry = fileURLToPath(new URL('../../../operators/deployment/operator.ts', import.meta.url));

describe('the Deployment operator entry (operator.ts)', () => {
  it('turns webhooks on only when a certificate folder is named', () => {
    assert.deepEqual(operatorOptionsFromEnvironment({}), {});
    assert.deepEqual(operatorOptionsFromEnvironment({ DEPLOYMENT_OPERATOR_WEBHOOK_CERT_DIR: '' }), {});
    assert.deepEqual(operatorOptionsFromEnvironment({ DEPLOYMENT_OPERATOR_WEBHOOK_CERT_DIR: '/certs' }), {
      webhooks: { certDir: '/certs' },
    });
    assert.deepEqual(
      operatorOptionsFromEnvironment({
        DEPLOYMENT_OPERATOR_WEBHOOK_CERT_DIR: '/certs',
        DEPLOYMENT_OPERATOR_WEBHOOK_PORT: '10250',
      }),
      { webhooks: { certDir: '/certs', port: 10250 } },
    );
    assert.throws(
      () =>
        operatorOptionsFromEnvironment({
          DEPLOYMENT_OPERATOR_WEBHOOK_CERT_DIR: '/certs',
          DEPLOYMENT_OPERATOR_WEBHOOK_PORT: 'https',
        }),
      /DEPLOYMENT_OPERATOR_WEBHOOK_PORT: "https" is not a port number/,
    );
  });

  it('works with `typerator rbac generate --entry`: the role covers both kinds, pods and events', async () => {
    const role = parse(await generateRbacYaml(entry, 'deployment-operator')) as {
      rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    };
    const verbsFor = (group: string, resource: string) =>
      role.rules
        .filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource))
        .flatMap((r) => r.verbs);
    assert.ok(verbsFor('apps.typerator.dev', 'deployments').includes('watch'));
    assert.ok(verbsFor('apps.typerator.dev', 'replicasets').includes('create'));
    assert.ok(verbsFor('apps.typerator.dev', 'deployments/status').includes('update'));
    assert.ok(verbsFor('', 'pods').includes('delete'));
    assert.ok(verbsFor('', 'events').includes('create'));
  });
});
