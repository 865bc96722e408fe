import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kinds, resourceKind } from '../../../sdk/client/resource-kind.ts';
import { pluralOf, policyRules } from '../../../sdk/rbac/policy-rules.ts';

describe('policyRules', () => {
  it('derives verbs from how each kind is used, merges them, and adds status and finalizers for reconciled kinds', () => {
    const widget = resourceKind('example.com/v1', 'Widget', 'widgets');
    const { rules, guessedPlurals } = policyRules(
      [
        { kind: widget, role: 'for' },
        { kind: kinds.ConfigMap, role: 'owns' },
        { kind: kinds.ConfigMap, role: 'watches' },
        { kind: kinds.Secret, role: 'watches' },
      ],
      [{ apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] }],
    );
    assert.deepEqual(guessedPlurals, []);
    assert.deepEqual(rules, [
      {
        apiGroups: [''],
        resources: ['configmaps'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] },
      {
        apiGroups: ['example.com'],
        resources: ['widgets'],
        verbs: ['get', 'list', 'watch', 'update', 'patch'],
      },
      { apiGroups: ['example.com'], resources: ['widgets/finalizers'], verbs: ['update'] },
      { apiGroups: ['example.com'], resources: ['widgets/status'], verbs: ['get', 'update', 'patch'] },
    ]);
  });

  it('grants the finalizers of reconciled kinds only when the manager owns children (blockOwnerDeletion)', () => {
    const widget = resourceKind('example.com/v1', 'Widget', 'widgets');
    const { rules } = policyRules([
      { kind: widget, role: 'for' },
      { kind: kinds.Secret, role: 'watches' },
    ]);
    assert.equal(
      rules.some((rule) => rule.resources?.includes('widgets/finalizers')),
      false,
      'nothing owned, nothing points at a Widget with blockOwnerDeletion',
    );
    assert.ok(rules.some((rule) => rule.resources?.includes('widgets/status')));
  });

  it('derives plurals like the Kubernetes generators when a kind does not declare one, and says so', () => {
    assert.deepEqual(pluralOf(resourceKind('x/v1', 'Policy')), { plural: 'policies', guessed: true });
    assert.deepEqual(pluralOf(resourceKind('x/v1', 'Gateway')), { plural: 'gateways', guessed: true });
    assert.deepEqual(pluralOf(resourceKind('x/v1', 'Ingress')), { plural: 'ingresses', guessed: true });
    assert.deepEqual(pluralOf(resourceKind('x/v1', 'Mouse', 'mice')), { plural: 'mice', guessed: false });
    assert.deepEqual(
      policyRules([{ kind: resourceKind('x/v1', 'Policy'), role: 'watches' }]).guessedPlurals,
      ['Policy → policies'],
    );
  });
});
