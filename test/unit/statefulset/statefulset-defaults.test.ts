import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatefulSetSpec } from '../../../operators/statefulset/api/types.ts';
import {
  desiredReplicas,
  podManagementPolicy,
  retentionPolicy,
  revisionHistoryLimit,
  rollingUpdateStrategy,
  updateStrategyType,
} from '../../../operators/statefulset/logic/statefulset-spec.ts';
import { defaultStatefulSet } from '../../../operators/statefulset/webhooks/statefulset-defaults.ts';
import { admittedSet } from './admission-fixtures.ts';

const retain = { whenDeleted: 'Retain', whenScaled: 'Retain' };

/** The defaulted spec without the fields defaulting never touches. */
function defaultedFields(spec: Partial<StatefulSetSpec>): Record<string, unknown> {
  const {
    selector: _selector,
    template: _template,
    serviceName: _serviceName,
    volumeClaimTemplates: _claims,
    ...rest
  } = defaultStatefulSet(admittedSet(spec)).spec;
  return rest;
}

describe('defaultStatefulSet (apps/v1 SetDefaults_StatefulSet)', () => {
  const cases: [string, Partial<StatefulSetSpec>, Record<string, unknown>][] = [
    [
      'a bare spec gets every default: OrderedReady, RollingUpdate with partition 0, Retain/Retain, 1 replica, history 10',
      {},
      {
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
        persistentVolumeClaimRetentionPolicy: retain,
        replicas: 1,
        revisionHistoryLimit: 10,
      },
    ],
    [
      'an explicit type RollingUpdate without a rollingUpdate block gets no block (the quirk)',
      { updateStrategy: { type: 'RollingUpdate' } },
      {
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: retain,
        replicas: 1,
        revisionHistoryLimit: 10,
      },
    ],
    [
      'a rollingUpdate block without a type gets the type and partition 0, maxUnavailable kept',
      { updateStrategy: { rollingUpdate: { maxUnavailable: 2 } } },
      {
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2, partition: 0 } },
        persistentVolumeClaimRetentionPolicy: retain,
        replicas: 1,
        revisionHistoryLimit: 10,
      },
    ],
    [
      'an explicit RollingUpdate block gets partition 0 but no maxUnavailable (the gate is off in 1.34)',
      { updateStrategy: { type: 'RollingUpdate', rollingUpdate: {} } },
      {
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
        persistentVolumeClaimRetentionPolicy: retain,
        replicas: 1,
        revisionHistoryLimit: 10,
      },
    ],
    [
      'OnDelete gets no rollingUpdate block, and a written one is left for validation to refuse',
      { updateStrategy: { type: 'OnDelete', rollingUpdate: {} } },
      {
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'OnDelete', rollingUpdate: {} },
        persistentVolumeClaimRetentionPolicy: retain,
        replicas: 1,
        revisionHistoryLimit: 10,
      },
    ],
    [
      'written values are kept and a half-filled retention policy is completed',
      {
        replicas: 0,
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
        persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete' },
        revisionHistoryLimit: 0,
        minReadySeconds: 5,
        ordinals: { start: 3 },
      },
      {
        replicas: 0,
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' },
        revisionHistoryLimit: 0,
        minReadySeconds: 5,
        ordinals: { start: 3 },
      },
    ],
    [
      'empty strings count as unset, as len(x) == 0 does upstream',
      {
        podManagementPolicy: '' as 'Parallel',
        updateStrategy: { type: '' as 'OnDelete' },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: '' as 'Delete' },
      },
      {
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
        persistentVolumeClaimRetentionPolicy: retain,
        replicas: 1,
        revisionHistoryLimit: 10,
      },
    ],
  ];
  for (const [name, spec, expected] of cases) {
    it(name, () => {
      assert.deepEqual(defaultedFields(spec), expected);
    });
  }

  it('leaves the template, selector, service name and claim templates as written', () => {
    const input = admittedSet();
    const output = defaultStatefulSet(input);
    assert.deepEqual(output.spec.template, input.spec.template);
    assert.deepEqual(output.spec.selector, input.spec.selector);
    assert.equal(output.spec.serviceName, 'web');
    assert.deepEqual(output.spec.volumeClaimTemplates, input.spec.volumeClaimTemplates);
    assert.deepEqual(output.metadata, input.metadata);
  });

  it('leaves its input unchanged and is idempotent', () => {
    const input = admittedSet({ updateStrategy: { rollingUpdate: {} } });
    const copy = structuredClone(input);
    const once = defaultStatefulSet(input);
    assert.deepEqual(input, copy);
    assert.deepEqual(defaultStatefulSet(once), once);
  });

  it('agrees with the controller’s accessors, which apply the same defaults when reading', () => {
    const specs: Partial<StatefulSetSpec>[] = [
      {},
      { updateStrategy: { type: 'RollingUpdate' } },
      { updateStrategy: { rollingUpdate: { partition: 1, maxUnavailable: '50%' } } },
      { updateStrategy: { type: 'OnDelete' } },
      { replicas: 4, podManagementPolicy: 'Parallel', revisionHistoryLimit: 2 },
      { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' } },
    ];
    for (const spec of specs) {
      const written = admittedSet(spec);
      const defaulted = defaultStatefulSet(written);
      for (const read of [
        desiredReplicas,
        podManagementPolicy,
        updateStrategyType,
        rollingUpdateStrategy,
        revisionHistoryLimit,
        retentionPolicy,
      ]) {
        assert.deepEqual(read(defaulted), read(written), `${read.name} of ${JSON.stringify(spec)}`);
      }
    }
  });
});
