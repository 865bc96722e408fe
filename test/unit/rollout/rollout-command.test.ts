// The SDK's rollout command (sdk/rollout): argument parsing, --kind resolution across workloads,
// the status loop on virtual time, the history output, and errors as `error: …` with exit code 1.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../sdk/clock/fake-clock.ts';
import { resourceKind } from '../../../sdk/client/resource-kind.ts';
import { followRollout } from '../../../sdk/rollout/follow-rollout.ts';
import { parseDuration, parseRevision, parseTarget } from '../../../sdk/rollout/rollout-arguments.ts';
import { formatHistory, historyTable } from '../../../sdk/rollout/rollout-history.ts';
import {
  RolloutError,
  resolveWorkload,
  resourceName,
  rolloutCommand,
  type RolloutRevision,
  type RolloutStatus,
  type RolloutWorkload,
} from '../../../sdk/rollout/index.ts';

function workload(group: string, kind: string, names: string[]): RolloutWorkload {
  return {
    kind: resourceKind(`${group}/v1`, kind),
    names,
    status: () => ({ message: 'done', done: true }),
    history: () => Promise.resolve([]),
    undo: () => Promise.reject(new RolloutError('no undo here')),
  };
}

const widgets = workload('example.dev', 'Widget', ['widget', 'wd']);
const gadgets = workload('example.dev', 'Gadget', ['gadget']);
const builtInGadgets = workload('apps', 'Gadget', ['gadget.apps']);
const all = [widgets, gadgets, builtInGadgets];

describe('rollout arguments', () => {
  it('reads kubectl-style durations and revision numbers', () => {
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('1.5'), 1500);
    assert.equal(parseRevision('3'), 3n);
    assert.equal(parseRevision('-1'), -1n);
    assert.equal(parseRevision('9223372036854775807'), 2n ** 63n - 1n);
    assert.throws(() => parseRevision('9223372036854775808'), /expected a revision number/);
    assert.throws(() => parseRevision('two'), /expected a revision number, got "two"/);
  });
  it('splits <kind>/<name>', () => {
    assert.deepEqual(parseTarget('web'), { name: 'web' });
    assert.deepEqual(parseTarget('statefulset/web'), { kind: 'statefulset', name: 'web' });
    for (const bad of ['/web', 'sts/', 'a/b/c'])
      assert.throws(() => parseTarget(bad), /expected <name> or <kind>\/<name>/, bad);
  });
});

describe('resolveWorkload', () => {
  it('finds a workload by any of its names, its resource name, in any case', () => {
    assert.equal(resolveWorkload(all, 'wd'), widgets);
    assert.equal(resolveWorkload(all, 'WIDGET'), widgets);
    assert.equal(resolveWorkload(all, 'gadget.example.dev'), gadgets);
    assert.equal(resolveWorkload(all, 'gadget.apps'), builtInGadgets);
    assert.equal(resourceName(resourceKind('v1', 'Pod')), 'pod');
  });
  it('lists what is supported otherwise', () => {
    assert.throws(
      () => resolveWorkload(all, 'cronjob'),
      new RolloutError(
        'unsupported kind "cronjob": use widget (widget.example.dev), gadget (gadget.example.dev), gadget.apps',
      ),
    );
  });
});

describe('formatHistory', () => {
  const template = (image: string) => ({ spec: { containers: [{ name: 'c', image }] } });
  const revisions: RolloutRevision[] = [
    { revision: 10n, template: template('v10'), changeCause: 'kubectl set image c=v10' },
    { revision: 2n, template: template('v2') },
    { revision: 3n, template: template('old'), changeCause: '' },
    { revision: 3n, template: template('v3'), changeCause: 'third' },
  ];
  it('prints the revisions in order, aligned as kubectl’s tabwriter does, one per number', () => {
    assert.deepEqual(historyTable(revisions), [
      'REVISION  CHANGE-CAUSE',
      '2         <none>',
      '3         third',
      '10        kubectl set image c=v10',
    ]);
    assert.equal(
      formatHistory('statefulset.apps/web', revisions),
      [
        'statefulset.apps/web',
        'REVISION  CHANGE-CAUSE',
        '2         <none>',
        '3         third',
        '10        kubectl set image c=v10',
        '',
      ].join('\n'),
    );
  });
  it('prints one revision’s template, and explains a missing one or an empty history', () => {
    assert.equal(
      formatHistory('deployment.apps/web', revisions, 3n),
      [
        'deployment.apps/web with revision #3',
        'Pod Template:',
        '  spec:',
        '    containers:',
        '      - name: c',
        '        image: v3',
        '',
      ].join('\n'),
    );
    assert.throws(
      () => formatHistory('deployment.apps/web', revisions, 4n),
      new RolloutError('unable to find the specified revision'),
    );
    assert.equal(
      formatHistory('deployment.apps/web', []),
      'deployment.apps/web\nNo rollout history found.\n',
    );
  });
});

describe('followRollout', () => {
  /** A status source that returns the scripted statuses in turn, repeating the last. */
  const scripted = (statuses: (RolloutStatus | Error)[]) => {
    let reads = 0;
    const read = () => {
      const next = statuses[Math.min(reads, statuses.length - 1)];
      reads += 1;
      return next instanceof Error
        ? Promise.reject(next)
        : Promise.resolve(next ?? { message: '', done: true });
    };
    return { read, reads: () => reads };
  };
  const waiting = (n: number) => ({ message: `Waiting for ${n} pods to be ready...`, done: false });
  const done = { message: 'partitioned roll out complete: 3 new pods have been updated...', done: true };

  it('prints each new line once and returns when the rollout is done', async () => {
    const clock = new FakeClock();
    const source = scripted([waiting(2), waiting(2), waiting(1), done]);
    const printed: string[] = [];
    const following = followRollout(
      source.read,
      { timeoutMs: 0, watch: true, intervalMs: 500, what: 'statefulset "web"', clock },
      (line) => printed.push(line),
    );
    let finished = false;
    void following.then(() => (finished = true));
    const start = clock.now();
    while (!finished) await clock.advance(100);
    assert.deepEqual(printed, [waiting(2).message, waiting(1).message, done.message]);
    assert.equal(source.reads(), 4);
    assert.ok(clock.now() - start >= 1500, 'three waits of --interval');
  });

  it('reads once without watch, fails at the timeout, and passes a status error on', async () => {
    const clock = new FakeClock();
    const once: string[] = [];
    await followRollout(
      scripted([waiting(2)]).read,
      { timeoutMs: 0, watch: false, intervalMs: 500, what: 'x', clock },
      (line) => once.push(line),
    );
    assert.deepEqual(once, [waiting(2).message]);

    const printed: string[] = [];
    const following = followRollout(
      scripted([waiting(2)]).read,
      { timeoutMs: 2000, watch: true, intervalMs: 500, what: 'statefulset "web"', clock },
      (line) => printed.push(line),
    );
    const failed = assert.rejects(
      following,
      new RolloutError('timed out waiting for statefulset "web" rollout to finish (--timeout 2s)'),
    );
    for (let i = 0; i < 30; i += 1) await clock.advance(100);
    await failed;
    assert.deepEqual(printed, [waiting(2).message]);

    const onDelete = new RolloutError('rollout status is only available for RollingUpdate strategy type');
    await assert.rejects(
      followRollout(
        scripted([onDelete]).read,
        { timeoutMs: 0, watch: true, intervalMs: 500, what: 'x', clock },
        () => {},
      ),
      onDelete,
    );
  });
});

describe('rolloutCommand', () => {
  /** Runs `rollout <args>` with captured output; nothing here reaches a cluster. */
  async function run(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    let code: number | undefined;
    const command = rolloutCommand(all, (c) => (code = c), {
      output: { stdout: (text) => out.push(text), stderr: (text) => err.push(text) },
    });
    await command.parseAsync(args, { from: 'user' });
    return { code, stdout: out.join(''), stderr: err.join('') };
  }

  it('reports an unsupported kind and contradictory kinds as `error: …` with exit code 1', async () => {
    assert.deepEqual(await run(['status', 'web', '--kind', 'cronjob']), {
      code: 1,
      stdout: '',
      stderr:
        'error: unsupported kind "cronjob": use widget (widget.example.dev), gadget (gadget.example.dev), gadget.apps\n',
    });
    assert.deepEqual(await run(['undo', 'cronjob/web']), {
      code: 1,
      stdout: '',
      stderr:
        'error: unsupported kind "cronjob": use widget (widget.example.dev), gadget (gadget.example.dev), gadget.apps\n',
    });
    assert.deepEqual(await run(['history', 'gadget/web', '--kind', 'widget']), {
      code: 1,
      stdout: '',
      stderr: 'error: --kind widget and gadget/web name different kinds: give the kind once\n',
    });
  });

  it('names the kinds in its help, defaulting --kind to the first workload', () => {
    const command = rolloutCommand(all, () => {});
    const status = command.commands.find((c) => c.name() === 'status');
    assert.ok(status);
    assert.match(
      status.helpInformation(),
      /what <name> is: widget, gadget, gadget\.apps\s+\(default: "widget"\)/,
    );
    assert.deepEqual(
      command.commands.map((c) => c.name()),
      ['status', 'history', 'undo'],
    );
    // Every subcommand's help renders (bigint defaults included).
    for (const subcommand of command.commands) assert.match(subcommand.helpInformation(), /--kind <kind>/);
    const undo = command.commands.find((c) => c.name() === 'undo');
    assert.match(
      undo?.helpInformation() ?? '',
      /--to-revision <n>\s+the revision to roll back to \(0: the previous\s+one\) \(default: 0\)/,
    );
    assert.throws(() => rolloutCommand([], () => {}), /at least one workload/);
  });
});
