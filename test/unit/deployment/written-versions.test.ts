import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import { WrittenVersions } from '../../../operators/deployment/controllers/written-versions.ts';

const at = (resourceVersion: string, note = ''): KubernetesObject => ({
  metadata: { uid: 'u1', name: 'rs', resourceVersion, ...(note ? { annotations: { note } } : {}) },
});

describe('WrittenVersions', () => {
  it('holds a write until the cache delivers its exact version', () => {
    const written = new WrittenVersions();
    written.observe(at('10'));
    written.record(at('11', 'ours'), 0);
    assert.equal(written.anyBehind([at('10')], 1), true);
    assert.equal(written.latest(at('10'), 1).metadata?.annotations?.['note'], 'ours');
    written.observe(at('11'));
    assert.equal(written.anyBehind([at('11')], 2), false);
    assert.equal(written.latest(at('11'), 2).metadata?.resourceVersion, '11');
  });

  it('does not wait for a write whose event, and a newer one, arrived before its response', () => {
    const written = new WrittenVersions();
    written.observe(at('10'));
    written.observe(at('11')); // our write
    written.observe(at('12')); // someone else's, after ours
    written.record(at('11', 'ours'), 0);
    assert.equal(written.anyBehind([at('12')], 1), false);
    assert.equal(written.latest(at('12'), 1).metadata?.resourceVersion, '12');
  });

  it('stops holding back after the wait limit, and after a conflict', () => {
    const written = new WrittenVersions();
    written.record(at('11'), 0);
    assert.equal(written.anyBehind([at('10')], 4_999), true);
    assert.equal(written.anyBehind([at('10')], 5_000), false);
    written.record(at('12', 'ours'), 6_000);
    written.forgetWrite('u1');
    assert.equal(written.latest(at('10'), 6_001).metadata?.resourceVersion, '10');
  });
});
