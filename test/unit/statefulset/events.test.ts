import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { claimEvent, podEvent } from '../../../operators/statefulset/logic/events.ts';

describe('events (kube-controller-manager wording)', () => {
  it('pod writes', () => {
    assert.deepEqual(podEvent('create', 'web', 'web-0'), {
      type: 'Normal',
      reason: 'SuccessfulCreate',
      message: 'create Pod web-0 in StatefulSet web successful',
    });
    assert.deepEqual(podEvent('delete', 'web', 'web-2', 'pods "web-2" is forbidden'), {
      type: 'Warning',
      reason: 'FailedDelete',
      message: 'delete Pod web-2 in StatefulSet web failed error: pods "web-2" is forbidden',
    });
  });
  it('claim writes', () => {
    assert.deepEqual(claimEvent('create', 'web', 'web-0', 'datadir-web-0'), {
      type: 'Normal',
      reason: 'SuccessfulCreate',
      message: 'create Claim datadir-web-0 Pod web-0 in StatefulSet web success',
    });
    assert.deepEqual(claimEvent('create', 'web', 'web-0', 'datadir-web-0', 'quota exceeded'), {
      type: 'Warning',
      reason: 'FailedCreate',
      message: 'create Claim datadir-web-0 for Pod web-0 in StatefulSet web failed error: quota exceeded',
    });
  });
});
