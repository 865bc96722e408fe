import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import { WrittenVersions } from '../../../operators/deployment/controllers/written-versions.ts';

const at = (resourceVersion: string, note = ''): KubernetesObject => ({
  metadata: { uid: 'u1', name: 'rs', resourceVersion, ...(note ? { annotations: { note } } : {}) },
});

describe('WrittenVersions', () => {
  it('offers our write as the newest copy until the cache delivers its exact version', () => {
    const written = new WrittenVersions();
    written.observe(at('10'));
    written.record(at('11', 'ours'), 0);
    assert.equal(written.latest(at('10'), 1).metadata?.annotations?.['note'], 'ours');
    written.observe(at('11'));
    assert.equal(written.latest(at('11'), 2).metadata?.resourceVersion, '11');
  });

  it("prefers the cache when a write's event, and a newer one, arrived before its response", () => {
    const written = new WrittenVersions();
    written.observe(at('10'));
    written.observe(at('11')); // our write
    written.observe(at('12')); // someone else's, after ours
    written.record(at('11', 'ours'), 0);
    assert.equal(written.latest(at('12'), 1).metadata?.resourceVersion, '12');
  });

  it('falls back to the cache after the wait limit, and after a conflict', () => {
    const written = new WrittenVersions();
    written.record(at('11'), 0);
    assert.equal(written.latest(at('10'), 4_999).metadata?.resourceVersion, '11');
    assert.equal(written.latest(at('10'), 5_000).metadata?.resourceVersion, '10');
    written.record(at('12', 'ours'), 6_000);
    written.forgetWrite('u1');
    assert.equal(written.latest(at('10'), 6_001).metadata?.resourceVersion, '10');
  });

  it('follows informer events: changes are observed, a deletion forgets the object', () => {
    const written = new WrittenVersions();
    written.track({ type: 'added', object: at('10'), fromList: false });
    written.record(at('10', 'ours'), 0);
    assert.equal(written.latest(at('9'), 1).metadata?.resourceVersion, '9', 'version 10 was delivered');
    written.record(at('11', 'ours'), 2);
    // The deleted object's last known state predates our write: only forgetting drops the write.
    written.track({ type: 'deleted', object: at('10'), fromList: false });
    assert.equal(written.latest(at('11'), 3).metadata?.annotations?.['note'], undefined);
  });
});
