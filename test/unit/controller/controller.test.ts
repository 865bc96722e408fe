import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { Subject } from 'rxjs';
import { FakeClock } from '../../../sdk/clock/fake-clock.ts';
import type { Client } from '../../../sdk/client/client.ts';
import { recordWrite } from '../../../sdk/client/write-tally.ts';
import { Controller } from '../../../sdk/controller/controller.ts';
import { metricsRegistry } from '../../../sdk/metrics/registry.ts';
import type { QueuedRequest } from '../../../sdk/controller/event-source.ts';
import { TerminalError, requeueAfter, type Reconciler } from '../../../sdk/controller/reconcile.ts';
import { ItemExponentialRateLimiter } from '../../../sdk/queue/rate-limiter.ts';
import { Priority } from '../../../sdk/queue/work-queue.ts';

const tick = async (times = 5) => {
  for (let i = 0; i < times; i++) await new Promise((resolve) => setImmediate(resolve));
};

function harness(reconciler: Reconciler, concurrency = 1) {
  const clock = new FakeClock();
  const source = new Subject<QueuedRequest>();
  const controller = new Controller({
    name: `test-${Math.random().toString(36).slice(2)}`,
    reconciler,
    sources: [source],
    client: {} as Client,
    logger: pino({ level: 'silent' }),
    concurrency,
    rateLimiter: new ItemExponentialRateLimiter(5, 1_000_000),
    clock,
  });
  controller.start();
  const enqueue = (name: string) =>
    source.next({ request: { namespace: 'ns', name }, priority: Priority.NORMAL });
  return { clock, controller, enqueue };
}

describe('Controller', () => {
  it('keeps going after a reconcile throws, retrying it with per-key backoff until it succeeds', async () => {
    const calls: string[] = [];
    let failuresLeft = 3;
    const { clock, controller, enqueue } = harness(async ({ name }) => {
      calls.push(name);
      if (name === 'flaky' && failuresLeft-- > 0) throw new Error('transient');
      await Promise.resolve();
    });
    enqueue('flaky');
    enqueue('steady');
    await tick();
    assert.deepEqual(calls, ['flaky', 'steady'], 'the failure did not stop the other key');
    await clock.advance(4);
    assert.equal(calls.length, 2, 'first retry waits 5 ms');
    await clock.advance(1);
    await tick();
    assert.equal(calls.length, 3);
    await clock.advance(10);
    await tick();
    await clock.advance(20);
    await tick();
    assert.deepEqual(calls, ['flaky', 'steady', 'flaky', 'flaky', 'flaky']);
    assert.equal(controller.queue.numRequeues('ns/flaky'), 0, 'forgotten after success');
    await clock.advance(10_000);
    assert.equal(calls.length, 5, 'no retry after success');
    await controller.stop();
  });

  it('does not retry a TerminalError, and honours requeueAfter', async () => {
    const calls: string[] = [];
    const { clock, controller, enqueue } = harness(async ({ name }) => {
      calls.push(name);
      await Promise.resolve();
      if (name === 'broken') throw new TerminalError('spec is invalid');
      if (name === 'timed' && calls.filter((c) => c === 'timed').length === 1) return requeueAfter(60_000);
      return undefined;
    });
    enqueue('broken');
    enqueue('timed');
    await tick();
    await clock.advance(59_999);
    assert.deepEqual(calls, ['broken', 'timed']);
    await clock.advance(1);
    await tick();
    assert.deepEqual(calls, ['broken', 'timed', 'timed']);
    await clock.advance(3_600_000);
    assert.equal(calls.length, 3);
    await controller.stop();
  });

  it('never runs one key on two workers at once, but runs different keys in parallel', async () => {
    let running = 0;
    let maxRunningSameKey = 0;
    let maxRunning = 0;
    const runningKeys = new Map<string, number>();
    const release: (() => void)[] = [];
    const { controller, enqueue } = harness(async ({ name }) => {
      running++;
      runningKeys.set(name, (runningKeys.get(name) ?? 0) + 1);
      maxRunning = Math.max(maxRunning, running);
      maxRunningSameKey = Math.max(maxRunningSameKey, runningKeys.get(name) ?? 0);
      await new Promise<void>((resolve) => release.push(resolve));
      runningKeys.set(name, (runningKeys.get(name) ?? 1) - 1);
      running--;
    }, 4);
    enqueue('a');
    enqueue('b');
    await tick();
    enqueue('a'); // while 'a' is in flight
    enqueue('a');
    await tick();
    assert.equal(running, 2);
    while (release.length) {
      release.shift()?.();
      await tick();
    }
    assert.equal(maxRunning, 2);
    assert.equal(maxRunningSameKey, 1);
    assert.equal(running, 0);
    await controller.stop();
  });

  it('stop() lets the in-flight reconcile finish (graceful)', async () => {
    let finished = false;
    let releaseIt: () => void = () => undefined;
    const { controller, enqueue } = harness(async () => {
      await new Promise<void>((resolve) => (releaseIt = resolve));
      finished = true;
    });
    enqueue('slow');
    await tick();
    const stopping = controller.stop();
    await tick();
    assert.equal(finished, false);
    releaseIt();
    await stopping;
    assert.equal(finished, true);
  });
});

describe('Controller logging', () => {
  it('logs one info line for a reconcile that wrote, and only debug for one that did not', async () => {
    interface Line {
      level: number;
      msg: string;
      writes?: number;
      name?: string;
    }
    const lines: Line[] = [];
    const logger = pino(
      { level: 'debug' },
      { write: (line: string) => lines.push(JSON.parse(line) as Line) },
    );
    const source = new Subject<QueuedRequest>();
    const controller = new Controller({
      name: `logging-${Math.random().toString(36).slice(2)}`,
      reconciler: async ({ name }) => {
        await Promise.resolve();
        // What the transport does after a successful create, patch or delete.
        if (name === 'changed') {
          recordWrite();
          recordWrite();
        }
      },
      sources: [source],
      client: {} as Client,
      logger,
      rateLimiter: new ItemExponentialRateLimiter(5, 1_000_000),
      clock: new FakeClock(),
    });
    controller.start();
    source.next({ request: { namespace: 'ns', name: 'changed' }, priority: Priority.NORMAL });
    source.next({ request: { namespace: 'ns', name: 'unchanged' }, priority: Priority.NORMAL });
    await tick(10);
    await controller.stop();
    const reconciled = lines.filter((line) => line.msg === 'reconciled');
    assert.deepEqual(
      reconciled.map(({ level, name, writes }) => ({ level, name, writes })),
      [
        { level: 30, name: 'changed', writes: 2 },
        { level: 20, name: 'unchanged', writes: 0 },
      ],
    );
  });
});

describe('Controller metrics', () => {
  it('start every reconcile series at 0, and count a terminal error as a reconcile error too', async () => {
    const { controller, enqueue } = harness(async () => {
      await Promise.resolve();
      throw new TerminalError('the spec can never work');
    });
    const name = controller.name;
    const value = async (metric: string, labels: string) =>
      (await metricsRegistry.getSingleMetricAsString(metric))
        .split('\n')
        .find((line) => line.startsWith(`${metric}{${labels}}`))
        ?.split(' ')[1];
    for (const result of ['success', 'error', 'requeue', 'requeue_after'])
      assert.equal(
        await value('controller_runtime_reconcile_total', `controller="${name}",result="${result}"`),
        '0',
      );
    assert.equal(await value('controller_runtime_reconcile_errors_total', `controller="${name}"`), '0');
    enqueue('doomed');
    await tick();
    assert.equal(
      await value('controller_runtime_reconcile_total', `controller="${name}",result="error"`),
      '1',
    );
    assert.equal(await value('controller_runtime_reconcile_errors_total', `controller="${name}"`), '1');
    assert.equal(
      await value('controller_runtime_terminal_reconcile_errors_total', `controller="${name}"`),
      '1',
    );
    await controller.stop();
  });
});
