import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SpecOutcome, SpecState } from '../../conformance/ginkgo-report.ts';
import type { SpecList } from '../../conformance/spec-list.ts';
import { judge } from '../../conformance/verdict.ts';

const list: SpecList = {
  excluded: [{ spec: 'should provide basic identity', reason: 'execs into pods' }],
  skipsItself: [{ spec: 'needs a cloud', reason: 'cloud providers only' }],
};

function spec(leafText: string, state: SpecState, message?: string): SpecOutcome {
  return {
    fullText: `[sig-apps] StatefulSet ${leafText}`,
    leafText,
    nodeType: 'It',
    labels: [],
    state,
    seconds: 12,
    message,
    location: message ? 'statefulset.go:42' : undefined,
  };
}

const run = (...outcomes: SpecOutcome[]) => outcomes;

describe('judge', () => {
  it('passes a run in which every judged spec passed, listing the excluded and expected skips', () => {
    const verdict = judge(
      run(
        spec('scales [Conformance]', 'passed'),
        spec('rolls', 'passed'),
        spec('needs a cloud', 'skipped', 'Only supported for providers [gce]'),
        spec('should provide basic identity', 'skipped'),
      ),
      list,
      'built-in',
    );
    assert.equal(verdict.ok, true);
    assert.deepEqual([verdict.passed, verdict.failed], [2, 0]);
    assert.equal(verdict.summary[0], '2 passed, 0 failed');
    assert.ok(verdict.lines.some((l) => l.startsWith('passed') && l.endsWith('scales [Conformance] (12 s)')));
    assert.ok(verdict.lines.some((l) => l.startsWith('excluded') && l.includes('(execs into pods)')));
    assert.ok(verdict.lines.some((l) => l.startsWith('skipped') && l.includes('cloud providers only')));
  });

  it('fails a run with a failed spec and shows why', () => {
    const verdict = judge(
      run(spec('scales', 'passed'), spec('rolls', 'timedout', 'timed out\nmore')),
      list,
      'typerator',
    );
    assert.equal(verdict.ok, false);
    assert.equal(verdict.summary[0], '1 passed, 1 failed');
    assert.ok(verdict.lines.includes('         timedout: timed out (statefulset.go:42)'));
  });

  it('counts a spec that skipped itself without being listed as failed', () => {
    const verdict = judge(run(spec('claims', 'skipped', 'no default StorageClass')), list, 'typerator');
    assert.deepEqual([verdict.passed, verdict.failed, verdict.ok], [0, 1, false]);
  });

  it('ignores specs outside the selection and those tagged Slow, Serial, Disruptive or Flaky', () => {
    const other = { ...spec('x', 'failed', 'boom'), fullText: '[sig-node] Pods x' };
    const slow = { ...spec('y [Slow]', 'failed', 'boom'), fullText: '[sig-apps] StatefulSet y [Slow]' };
    const verdict = judge(run(spec('scales', 'passed'), other, slow), list, 'built-in');
    assert.deepEqual([verdict.passed, verdict.failed, verdict.ok], [1, 0, true]);
  });

  it('fails when the suite set-up failed, whatever the specs did', () => {
    const setUp = { ...spec('', 'failed', 'cannot reach the cluster'), nodeType: 'SynchronizedBeforeSuite' };
    assert.equal(judge(run(spec('scales', 'skipped'), setUp), list, 'none').ok, false);
  });

  describe('the control run', () => {
    it('succeeds when every judged spec failed', () => {
      const verdict = judge(
        run(spec('scales', 'failed', 'timed out'), spec('rolls', 'failed', 'x')),
        list,
        'none',
      );
      assert.equal(verdict.ok, true);
      assert.equal(verdict.summary[0], '0 passed, 2 failed');
      assert.match(verdict.summary[2] ?? '', /all 2 judged specs failed with no workload controller/);
    });

    it('fails when a judged spec passed without any controller', () => {
      const verdict = judge(
        run(spec('scales', 'failed', 'timed out'), spec('rolls', 'passed')),
        list,
        'none',
      );
      assert.equal(verdict.ok, false);
      assert.ok(verdict.lines.some((l) => l.startsWith('PASSED')));
    });
  });

  it('fails when nothing was judged', () => {
    assert.equal(judge(run(), list, 'built-in').ok, false);
  });
});
