import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1LabelSelector } from '@kubernetes/client-node';
import { InvalidLabelSelectorError } from '../../../operators/deployment/logic/label-selector.ts';
import { formatLabelSelector } from '../../../operators/statefulset/logic/scale-selector.ts';

describe('formatLabelSelector (apimachinery selector string)', () => {
  const cases: { name: string; selector: V1LabelSelector; want: string }[] = [
    { name: 'one label', selector: { matchLabels: { app: 'web' } }, want: 'app=web' },
    {
      name: 'labels sorted by key',
      selector: { matchLabels: { tier: 'db', app: 'web' } },
      want: 'app=web,tier=db',
    },
    {
      name: 'expressions: in/notin with sorted values, exists, !doesnotexist',
      selector: {
        matchExpressions: [
          { key: 'zone', operator: 'NotIn', values: ['b', 'a'] },
          { key: 'env', operator: 'In', values: ['prod'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'app', operator: 'Exists' },
        ],
      },
      want: 'app,!canary,env in (prod),zone notin (a,b)',
    },
    {
      name: 'labels and expressions mixed, all sorted by key',
      selector: { matchLabels: { b: '1' }, matchExpressions: [{ key: 'a', operator: 'Exists' }] },
      want: 'a,b=1',
    },
    { name: 'empty: everything', selector: {}, want: '' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(formatLabelSelector(c.selector), c.want);
    });
  }
  it('a malformed selector throws', () => {
    assert.throws(
      () => formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }),
      InvalidLabelSelectorError,
    );
  });
});
