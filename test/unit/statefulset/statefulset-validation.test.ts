import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatefulSetSpec } from '../../../operators/statefulset/api/types.ts';
import {
  formatFieldError,
  invalidObjectMessage,
} from '../../../operators/deployment/webhooks/field-errors.ts';
import {
  statefulSetWarnings,
  validateStatefulSet,
} from '../../../operators/statefulset/webhooks/statefulset-validation.ts';
import { admittedSet } from './admission-fixtures.ts';

const messages = (spec: Partial<StatefulSetSpec>, metadata = {}) =>
  validateStatefulSet(admittedSet(spec, metadata)).map(formatFieldError);
const rolling = (rollingUpdate: { partition?: number; maxUnavailable?: number | string }) => ({
  updateStrategy: { type: 'RollingUpdate' as const, rollingUpdate },
});
const claim = (name: string, accessModes?: string[], storage?: string) => ({
  metadata: { name },
  spec: {
    ...(accessModes ? { accessModes } : {}),
    ...(storage ? { resources: { requests: { storage } } } : {}),
  },
});
const template = (spec: Record<string, unknown>, labels: Record<string, string> = { app: 'web' }) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], ...spec },
});

const PERCENT =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";
const DNS_LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const FORBIDDEN_UPDATE =
  "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

describe('validateStatefulSet accepts', () => {
  const valid: [string, Partial<StatefulSetSpec>][] = [
    ['the defaults', {}],
    ['replicas 0', { replicas: 0 }],
    ['Parallel', { podManagementPolicy: 'Parallel' }],
    ['OnDelete without rollingUpdate', { updateStrategy: { type: 'OnDelete' } }],
    ['type RollingUpdate without a block', { updateStrategy: { type: 'RollingUpdate' } }],
    ['a partition above replicas', rolling({ partition: 7 })],
    ['maxUnavailable 1', rolling({ maxUnavailable: 1 })],
    ['maxUnavailable 1%', rolling({ maxUnavailable: '1%' })],
    ['maxUnavailable 100%', rolling({ maxUnavailable: '100%' })],
    ['ordinals.start 5', { ordinals: { start: 5 } }],
    ['ordinals without start', { ordinals: {} }],
    [
      'Delete/Delete retention',
      { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } },
    ],
    ['minReadySeconds and revisionHistoryLimit 0', { minReadySeconds: 0, revisionHistoryLimit: 0 }],
    ['a negative revisionHistoryLimit (a warning, as apps/v1 since 1.34)', { revisionHistoryLimit: -1 }],
    ['no claim templates', { volumeClaimTemplates: [] }],
    [
      'a ReadWriteOncePod claim on its own',
      { volumeClaimTemplates: [claim('data', ['ReadWriteOncePod'], '1Gi')] },
    ],
    ['no serviceName', { serviceName: undefined as never }],
    ['restartPolicy Always written out', { template: template({ restartPolicy: 'Always' }) }],
    [
      'a selector with expressions that match',
      { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'db'] }] } },
    ],
  ];
  for (const [name, spec] of valid) {
    it(name, () => {
      assert.deepEqual(messages(spec), []);
    });
  }

  it('a generated name, checked with its trailing dash masked', () => {
    assert.deepEqual(messages({}, { name: 'web-x7k2p', generateName: 'web-' }), []);
  });
});

describe('validateStatefulSet rejects, naming the field', () => {
  const invalid: [string, Partial<StatefulSetSpec>, string[]][] = [
    [
      'an unknown podManagementPolicy',
      { podManagementPolicy: 'Sometimes' as 'Parallel' },
      [`spec.podManagementPolicy: Invalid value: "Sometimes": must be 'OrderedReady' or 'Parallel'`],
    ],
    [
      'an unknown update strategy type (the value as the internal API prints it)',
      { updateStrategy: { type: 'BlueGreen' as 'OnDelete' } },
      [
        `spec.updateStrategy: Invalid value: {"Type":"BlueGreen","RollingUpdate":null}: must be 'RollingUpdate' or 'OnDelete'`,
      ],
    ],
    [
      'rollingUpdate with OnDelete',
      { updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 2 } } },
      [
        `spec.updateStrategy.rollingUpdate: Invalid value: {"Partition":2,"MaxUnavailable":null}: only allowed for updateStrategy 'RollingUpdate'`,
      ],
    ],
    [
      'a negative partition',
      rolling({ partition: -1 }),
      ['spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'maxUnavailable 0',
      rolling({ maxUnavailable: 0 }),
      ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0'],
    ],
    [
      'maxUnavailable 0%',
      rolling({ maxUnavailable: '0%' }),
      ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "0%": cannot be 0'],
    ],
    [
      'a negative maxUnavailable',
      rolling({ maxUnavailable: -2 }),
      [
        'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: -2: must be greater than or equal to 0',
      ],
    ],
    [
      'maxUnavailable above 100%',
      rolling({ maxUnavailable: '101%' }),
      [
        'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "101%": must not be greater than 100%',
      ],
    ],
    [
      'a malformed maxUnavailable (also 0 as a number)',
      rolling({ maxUnavailable: 'half' }),
      [
        `spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "half": ${PERCENT}`,
        'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "half": cannot be 0',
      ],
    ],
    [
      'an unknown retention policy',
      { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep' as 'Retain', whenScaled: 'Delete' } },
      [
        'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"',
      ],
    ],
    [
      'a claim template without access modes or a storage request',
      { volumeClaimTemplates: [claim('data')] },
      [
        'spec.volumeClaimTemplates[0].spec.accessModes: Required value: at least 1 access mode is required',
        'spec.volumeClaimTemplates[0].spec.resources[storage]: Required value',
      ],
    ],
    [
      'an unknown access mode, and ReadWriteOncePod with another',
      {
        volumeClaimTemplates: [
          claim('data', ['ReadWriteSometimes'], '1Gi'),
          claim('logs', ['ReadWriteOncePod', 'ReadWriteOnce'], '1Gi'),
        ],
      },
      [
        'spec.volumeClaimTemplates[0].spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
        'spec.volumeClaimTemplates[1].spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes',
      ],
    ],
    [
      'two claim templates with one name',
      {
        volumeClaimTemplates: [
          claim('data', ['ReadWriteOnce'], '1Gi'),
          claim('data', ['ReadWriteOnce'], '2Gi'),
        ],
      },
      ['spec.volumeClaimTemplates[1].metadata.name: Duplicate value: "data"'],
    ],
    [
      'negative replicas',
      { replicas: -1 },
      ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'negative minReadySeconds',
      { minReadySeconds: -5 },
      ['spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0'],
    ],
    [
      'a negative start ordinal',
      { ordinals: { start: -1 } },
      ['spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'a serviceName that is not a DNS label',
      { serviceName: 'Web_DB' },
      [`spec.serviceName: Invalid value: "Web_DB": ${DNS_LABEL}`],
    ],
    [
      'a serviceName with dots',
      { serviceName: 'web.internal' },
      ['spec.serviceName: Invalid value: "web.internal": must not contain dots'],
    ],
    [
      'a serviceName longer than 63 characters',
      { serviceName: 'a'.repeat(64) },
      [`spec.serviceName: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`],
    ],
    ['a missing selector', { selector: undefined as never }, ['spec.selector: Required value']],
    [
      'an empty selector',
      { selector: {} },
      ['spec.selector: Invalid value: {}: empty selector is invalid for statefulset'],
    ],
    [
      'a selector that misses the template labels',
      { selector: { matchLabels: { app: 'db' } } },
      [
        'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
      ],
    ],
    [
      'a selector with an unknown operator',
      { selector: { matchExpressions: [{ key: 'app', operator: 'Near' }] } },
      [
        'spec.selector.matchExpressions[0].operator: Invalid value: {"matchExpressions":[{"key":"app","operator":"Near"}]}: unknown operator "Near" (use In, NotIn, Exists or DoesNotExist)',
      ],
    ],
    [
      'a restartPolicy other than Always',
      { template: template({ restartPolicy: 'OnFailure' }) },
      ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
    ],
    [
      'activeDeadlineSeconds in the template',
      { template: template({ activeDeadlineSeconds: 30 }) },
      [
        'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported',
      ],
    ],
  ];
  for (const [name, spec, expected] of invalid) {
    it(name, () => {
      assert.deepEqual(messages(spec), expected);
    });
  }

  const names: [string, Record<string, string>, string[]][] = [
    [
      'a name with dots',
      { name: 'web.v2' },
      ['metadata.name: Invalid value: "web.v2": must not contain dots'],
    ],
    [
      'a generateName with dots (and the name made from it)',
      { generateName: 'web.v2-', name: 'web.v2-x7k2p' },
      [
        'metadata.generateName: Invalid value: "web.v2-": must not contain dots',
        'metadata.name: Invalid value: "web.v2-x7k2p": must not contain dots',
      ],
    ],
  ];
  for (const [name, metadata, expected] of names) {
    it(name, () => {
      assert.deepEqual(messages({}, metadata), expected);
    });
  }

  it('reports several errors in one apiserver-style message, in upstream’s order', () => {
    const errors = validateStatefulSet(
      admittedSet({ replicas: -1, podManagementPolicy: 'Burst' as 'Parallel' }),
    );
    assert.equal(
      invalidObjectMessage('StatefulSet.apps.typerator.dev', 'web', errors),
      `StatefulSet.apps.typerator.dev "web" is invalid: [spec.podManagementPolicy: Invalid value: "Burst": must be 'OrderedReady' or 'Parallel', spec.replicas: Invalid value: -1: must be greater than or equal to 0]`,
    );
  });
});

describe('validateStatefulSet on update', () => {
  const stored = admittedSet({
    replicas: 3,
    podManagementPolicy: 'OrderedReady',
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    revisionHistoryLimit: 10,
  });
  const update = (spec: Partial<StatefulSetSpec>) =>
    validateStatefulSet({ ...stored, spec: { ...stored.spec, ...spec } }, stored).map(formatFieldError);

  const allowed: [string, Partial<StatefulSetSpec>][] = [
    ['replicas', { replicas: 5 }],
    ['ordinals', { ordinals: { start: 2 } }],
    [
      'the template',
      { template: template({ terminationGracePeriodSeconds: 5 }, { app: 'web', tier: 'db' }) },
    ],
    ['updateStrategy', { updateStrategy: { type: 'OnDelete' } }],
    ['revisionHistoryLimit', { revisionHistoryLimit: 2 }],
    [
      'the retention policy',
      { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } },
    ],
    ['minReadySeconds', { minReadySeconds: 10 }],
    ['nothing but the defaults written out', {}],
  ];
  for (const [name, spec] of allowed) {
    it(`allows a change to ${name}`, () => {
      assert.deepEqual(update(spec), []);
    });
  }

  const refused: [string, Partial<StatefulSetSpec>][] = [
    ['volumeClaimTemplates', { volumeClaimTemplates: [claim('data', ['ReadWriteOnce'], '5Gi')] }],
    ['serviceName', { serviceName: 'other' }],
    ['podManagementPolicy', { podManagementPolicy: 'Parallel' }],
    [
      'the selector',
      { selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'app', operator: 'Exists' }] } },
    ],
  ];
  for (const [name, spec] of refused) {
    it(`refuses a change to ${name} at spec, with apps/v1's message`, () => {
      assert.deepEqual(update(spec), [FORBIDDEN_UPDATE]);
    });
  }

  it('compares defaulted objects: a set stored before the webhook existed may be updated', () => {
    const bare = admittedSet();
    assert.deepEqual(
      validateStatefulSet(admittedSet({ replicas: 2, podManagementPolicy: 'OrderedReady' }), bare),
      [],
    );
    assert.deepEqual(
      validateStatefulSet(admittedSet({ podManagementPolicy: 'Parallel' }), bare).map(formatFieldError),
      [FORBIDDEN_UPDATE],
    );
  });

  it('still checks the new spec, and reports a forbidden change beside it', () => {
    assert.deepEqual(update({ updateStrategy: { type: 'OnDelete', rollingUpdate: {} }, serviceName: 'x' }), [
      `spec.updateStrategy.rollingUpdate: Invalid value: {"Partition":0,"MaxUnavailable":null}: only allowed for updateStrategy 'RollingUpdate'`,
      FORBIDDEN_UPDATE,
    ]);
  });

  it('tolerates what is immutable and was stored before the check: name, serviceName, claim templates', () => {
    const old = admittedSet(
      { serviceName: 'Web_DB', volumeClaimTemplates: [claim('data'), claim('data')] },
      { name: 'web.v1' },
    );
    const scaled = { ...old, spec: { ...old.spec, replicas: 4 } };
    assert.deepEqual(validateStatefulSet(scaled, old), []);
  });
});

describe('statefulSetWarnings', () => {
  it('warns about a negative revisionHistoryLimit, as apps/v1 does', () => {
    assert.deepEqual(statefulSetWarnings(admittedSet({ revisionHistoryLimit: -1 })), [
      'spec.revisionHistoryLimit: a negative value retains all historical revisions; a value >= 0 is recommended',
    ]);
    assert.deepEqual(statefulSetWarnings(admittedSet({ revisionHistoryLimit: 0 })), []);
    assert.deepEqual(statefulSetWarnings(admittedSet()), []);
  });
});
