import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  escapeRegExp,
  isSelected,
  listedSpecsPattern,
  skipPattern,
} from '../../conformance/spec-selection.ts';
import { loadSpecList, withoutTags } from '../../conformance/spec-list.ts';

describe('spec selection', () => {
  it('escapes every regular expression character', () => {
    const text = String.raw`a.b*c+d?e(f)g[h]i{j}k|l^m$n\o`;
    assert.ok(new RegExp(`^${escapeRegExp(text)}$`).test(text));
  });

  it('skips exactly the listed specs, followed only by bracketed tags', () => {
    const pattern = new RegExp(
      listedSpecsPattern([{ spec: 'should perform rolling updates (x)', reason: 'r' }]),
    );
    assert.ok(pattern.test('[sig-apps] StatefulSet should perform rolling updates (x) [Conformance]'));
    assert.ok(pattern.test('[sig-apps] StatefulSet should perform rolling updates (x)'));
    assert.ok(!pattern.test('[sig-apps] StatefulSet should perform rolling updates (x) with PVCs'));
    assert.ok(!pattern.test('[sig-apps] StatefulSet should perform rolling updates x'));
  });

  it("skips the framework's tags as well as the listed specs", () => {
    const skip = new RegExp(skipPattern([{ spec: 'listed', reason: 'r' }]));
    assert.ok(skip.test('[sig-apps] StatefulSet Scaling should halt [Slow] [Conformance]'));
    assert.ok(skip.test('[sig-apps] Deployment listed'));
    assert.ok(!skip.test('[sig-apps] Deployment listed twice'));
  });

  it('selects the SIG Apps workload specs only', () => {
    assert.ok(isSelected('[sig-apps] Deployment deployment should support rollover [Conformance]'));
    assert.ok(isSelected('[sig-apps] StatefulSet Basic StatefulSet functionality [StatefulSetBasic] x'));
    assert.ok(!isSelected('[sig-apps] Job should run a job to completion'));
    assert.ok(!isSelected('[sig-apps] StatefulSet Scaling should halt [Slow]'));
  });

  it('reads the list file: seven excluded specs with reasons, names without tags', () => {
    const list = loadSpecList();
    assert.equal(list.excluded.length, 7);
    for (const entry of [...list.excluded, ...list.skipsItself]) {
      assert.equal(withoutTags(entry.spec), entry.spec);
      assert.ok(entry.reason.length > 10);
    }
  });
});
