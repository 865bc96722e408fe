import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeploymentSpec } from '../../../operators/deployment/api/types.ts';
import { validateDeployment } from '../../../operators/deployment/webhooks/deployment-validation.ts';
import {
  formatFieldError,
  invalidObjectMessage,
} from '../../../operators/deployment/webhooks/field-errors.ts';
import { validateReplicaSet } from '../../../operators/deployment/webhooks/replica-set-validation.ts';
import { deployment, replicaSet } from './fixtures.ts';

const messages = (spec: Partial<DeploymentSpec>) =>
  validateDeployment(deployment(spec)).map(formatFieldError);
const rolling = (maxSurge: number | string, maxUnavailable: number | string) => ({
  strategy: { type: 'RollingUpdate' as const, rollingUpdate: { maxSurge, maxUnavailable } },
});

describe('validateDeployment accepts', () => {
  const valid: [string, Partial<DeploymentSpec>][] = [
    ['the defaults', {}],
    ['replicas 0', { replicas: 0 }],
    ['maxSurge 0% with maxUnavailable 10% (scenario 5)', { replicas: 1, ...rolling('0%', '10%') }],
    ['maxSurge 1 with maxUnavailable 0', rolling(1, 0)],
    ['maxUnavailable 100%', rolling(0, '100%')],
    ['Recreate without rollingUpdate', { strategy: { type: 'Recreate' } }],
    [
      'no progress deadline (MaxInt32) with a long minReadySeconds',
      { progressDeadlineSeconds: 2147483647, minReadySeconds: 3600 },
    ],
    ['revisionHistoryLimit 0', { revisionHistoryLimit: 0 }],
    [
      'a selector with expressions that match',
      { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] } },
    ],
  ];
  for (const [name, spec] of valid) {
    it(name, () => {
      assert.deepEqual(messages(spec), []);
    });
  }
});

describe('validateDeployment rejects, naming the field', () => {
  const PERCENT =
    "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";
  const invalid: [string, Partial<DeploymentSpec>, string[]][] = [
    [
      'maxSurge 0 and maxUnavailable 0',
      rolling(0, 0),
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'],
    ],
    [
      'maxSurge "0%" and maxUnavailable "0%"',
      rolling('0%', '0%'),
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0'],
    ],
    [
      'maxUnavailable above 100%',
      rolling(1, '101%'),
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "101%": must not be greater than 100%'],
    ],
    [
      'a negative maxSurge',
      rolling(-1, 1),
      ['spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'a percent string without %',
      rolling('5', 1),
      [`spec.strategy.rollingUpdate.maxSurge: Invalid value: "5": ${PERCENT}`],
    ],
    [
      'a malformed percent string',
      rolling(1, 'ten%'),
      [`spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "ten%": ${PERCENT}`],
    ],
    [
      'rollingUpdate with Recreate',
      { strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } },
      ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    ],
    [
      'an unknown strategy type',
      { strategy: { type: 'BlueGreen' as 'Recreate' } },
      ['spec.strategy.type: Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"'],
    ],
    [
      'negative replicas',
      { replicas: -1 },
      ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'negative revisionHistoryLimit',
      { revisionHistoryLimit: -2 },
      ['spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0'],
    ],
    [
      'negative minReadySeconds',
      { minReadySeconds: -1 },
      ['spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'progressDeadlineSeconds equal to minReadySeconds',
      { minReadySeconds: 10, progressDeadlineSeconds: 10 },
      ['spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds'],
    ],
    [
      'negative progressDeadlineSeconds',
      { progressDeadlineSeconds: -1 },
      [
        'spec.progressDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0',
        'spec.progressDeadlineSeconds: Invalid value: -1: must be greater than minReadySeconds',
      ],
    ],
    ['a missing selector', { selector: undefined as never }, ['spec.selector: Required value']],
    [
      'an empty selector',
      { selector: {} },
      ['spec.selector: Invalid value: {}: empty selector is invalid for deployment'],
    ],
    [
      'a selector that misses the template labels',
      { selector: { matchLabels: { app: 'api' } } },
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
      {
        template: { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'Never', containers: [] } },
      },
      ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ],
  ];
  for (const [name, spec, expected] of invalid) {
    it(name, () => {
      assert.deepEqual(messages(spec), expected);
    });
  }

  it('a changed selector on update', () => {
    const old = deployment();
    const changed = deployment({
      selector: { matchLabels: { app: 'web', tier: 'x' } },
      template: { metadata: { labels: { app: 'web', tier: 'x' } } },
    });
    assert.deepEqual(validateDeployment(changed, old).map(formatFieldError), [
      'spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable',
    ]);
    assert.deepEqual(validateDeployment(deployment({ replicas: 3 }), old), []);
  });

  it('reports several errors in one apiserver-style message', () => {
    const errors = validateDeployment(deployment({ replicas: -1, ...rolling(0, 0) }));
    assert.equal(
      invalidObjectMessage('Deployment.apps.typerator.dev', 'web', errors),
      'Deployment.apps.typerator.dev "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0]',
    );
  });
});

describe('validateReplicaSet', () => {
  const cases: [string, Parameters<typeof replicaSet>[0], string[]][] = [
    ['accepts a valid ReplicaSet', {}, []],
    ['accepts replicas 0', { replicas: 0 }, []],
    [
      'rejects negative replicas',
      { replicas: -3 },
      ['spec.replicas: Invalid value: -3: must be greater than or equal to 0'],
    ],
    [
      'rejects negative minReadySeconds',
      { minReadySeconds: -1 },
      ['spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'rejects an empty selector',
      { selector: {} },
      ['spec.selector: Invalid value: {}: empty selector is invalid for deployment'],
    ],
    [
      'rejects a selector that misses the template',
      { selector: { matchLabels: { app: 'db' } } },
      [
        'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
      ],
    ],
    ['rejects a missing template', { template: undefined as never }, ['spec.template: Required value']],
    [
      'rejects activeDeadlineSeconds',
      {
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { activeDeadlineSeconds: 5, containers: [] },
        },
      },
      [
        'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
      ],
    ],
  ];
  for (const [name, spec, expected] of cases) {
    it(name, () => {
      assert.deepEqual(validateReplicaSet(replicaSet(spec)).map(formatFieldError), expected);
    });
  }

  it('rejects a changed selector on update', () => {
    const changed = replicaSet({ selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] } });
    assert.equal(validateReplicaSet(changed, replicaSet()).length, 1);
  });
});
