import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  grants,
  neededPermissions,
  permissionsOnlyGrantedBy,
  type AuditRequestEvent,
  type NamedRule,
} from '../../support/rbac-coverage.ts';

const USER = 'system:serviceaccount:ops:op';
const event = (overrides: Partial<AuditRequestEvent>): AuditRequestEvent => ({
  stage: 'ResponseComplete',
  user: { username: USER },
  ...overrides,
});
const rule = (
  role: string,
  apiGroups: string[],
  resources: string[],
  verbs: string[],
  namespace?: string,
): NamedRule => ({
  role,
  name: `${role} ${resources.join(',')}`,
  rule: { apiGroups, resources, verbs },
  ...(namespace ? { namespace } : {}),
});

describe('RBAC coverage from an audit log', () => {
  it("reads each request's permission, skipping other users, other stages and discovery", () => {
    const needed = neededPermissions(
      [
        event({ verb: 'list', objectRef: { resource: 'pods' } }),
        event({ verb: 'list', objectRef: { resource: 'pods' } }),
        event({
          verb: 'update',
          objectRef: { apiGroup: 'apps', resource: 'deployments', subresource: 'status', namespace: 'a' },
        }),
        event({ verb: 'get', user: { username: 'someone-else' }, objectRef: { resource: 'secrets' } }),
        event({ verb: 'get', stage: 'ResponseStarted', objectRef: { resource: 'configmaps' } }),
        event({ verb: 'get' }),
      ],
      USER,
      () => 'unused',
    );
    assert.deepEqual(needed, [
      { group: '', resource: 'pods', verb: 'list' },
      { group: 'apps', resource: 'deployments/status', verb: 'update', namespace: 'a' },
    ]);
  });

  it("adds update on the owner's finalizers for a write that sets blockOwnerDeletion", () => {
    const needed = neededPermissions(
      [
        event({
          verb: 'create',
          objectRef: { resource: 'pods', namespace: 'a' },
          requestObject: {
            metadata: {
              ownerReferences: [
                { apiVersion: 'apps.typerator.dev/v1', kind: 'ReplicaSet', blockOwnerDeletion: true },
                { apiVersion: 'v1', kind: 'ConfigMap' },
              ],
            },
          },
        }),
      ],
      USER,
      (apiVersion, kind) =>
        kind === 'ReplicaSet' && apiVersion === 'apps.typerator.dev/v1' ? 'replicasets' : '?',
    );
    assert.deepEqual(needed, [
      { group: '', resource: 'pods', verb: 'create', namespace: 'a' },
      { group: 'apps.typerator.dev', resource: 'replicasets/finalizers', verb: 'update', namespace: 'a' },
    ]);
  });

  it('matches rules by group, resource, verb, wildcards and a Role’s namespace', () => {
    const pods = { group: '', resource: 'pods', verb: 'get', namespace: 'a' };
    assert.equal(grants(rule('r', [''], ['pods'], ['get']), pods), true);
    assert.equal(grants(rule('r', ['*'], ['*'], ['*']), pods), true);
    assert.equal(grants(rule('r', ['apps'], ['pods'], ['get']), pods), false);
    assert.equal(grants(rule('r', [''], ['pods/status'], ['get']), pods), false);
    assert.equal(grants(rule('r', [''], ['pods'], ['list']), pods), false);
    assert.equal(grants(rule('r', [''], ['pods'], ['get'], 'b'), pods), false);
    assert.equal(grants(rule('r', [''], ['pods'], ['get'], 'a'), pods), true);
  });

  it('finds the rules whose removal refuses nothing: unused, or granted by another rule too', () => {
    const used = rule('one', [''], ['pods'], ['get', 'list']);
    const unused = rule('one', [''], ['secrets'], ['get']);
    const duplicate = rule('two', [''], ['pods'], ['list']);
    const only = permissionsOnlyGrantedBy(
      [used, unused, duplicate],
      [used, unused, duplicate],
      [
        { group: '', resource: 'pods', verb: 'get' },
        { group: '', resource: 'pods', verb: 'list' },
      ],
    );
    assert.deepEqual(only.get(used), [{ group: '', resource: 'pods', verb: 'get' }]);
    assert.deepEqual(only.get(unused), []);
    assert.deepEqual(only.get(duplicate), []);
  });
});
