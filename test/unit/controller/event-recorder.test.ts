import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CoreV1Event } from '@kubernetes/client-node';
import { pino } from 'pino';
import type { Client } from '../../../sdk/client/client.ts';
import { NotFoundError } from '../../../sdk/client/errors.ts';
import { FakeClock } from '../../../sdk/clock/fake-clock.ts';
import { EventRecorder } from '../../../sdk/controller/event-recorder.ts';

interface Call {
  readonly verb: 'create' | 'patch';
  readonly name: string;
  readonly body: Partial<CoreV1Event>;
}

/** A client whose Event resource records the calls; `missing` names make patches fail NotFound. */
function fakeClient(missing: Set<string> = new Set()): { client: Client; calls: Call[] } {
  const calls: Call[] = [];
  const events = {
    create: (event: CoreV1Event) => {
      calls.push({ verb: 'create', name: event.metadata.name ?? '', body: event });
      return Promise.resolve(event);
    },
    patch: (key: { name: string }, body: Partial<CoreV1Event>) => {
      calls.push({ verb: 'patch', name: key.name, body });
      if (missing.has(key.name))
        return Promise.reject(
          new NotFoundError(
            404,
            { reason: 'NotFound', message: key.name },
            { method: 'PATCH', path: key.name },
          ),
        );
      return Promise.resolve(body);
    },
  };
  return { client: { resource: () => events } as unknown as Client, calls };
}

const replicaSet = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, namespace: 'ns', uid: `uid-${name}` },
});

describe('EventRecorder', () => {
  it('creates an event, and patches its count and time when the same event repeats', async () => {
    const clock = new FakeClock();
    const { client, calls } = fakeClient();
    const recorder = new EventRecorder(client, 'test', pino({ level: 'silent' }), { clock });
    const rs = replicaSet('a');
    await recorder.record(rs, 'Normal', 'Scaled', 'scaled to 3');
    await clock.advance(1_000);
    await recorder.record(rs, 'Normal', 'Scaled', 'scaled to 3');
    assert.deepEqual(
      calls.map((c) => c.verb),
      ['create', 'patch'],
    );
    assert.equal(calls[1]?.name, calls[0]?.name);
    assert.equal(calls[1]?.body.count, 2);
    assert.equal(calls[1]?.body.message, 'scaled to 3');
    assert.equal(calls[1]?.body.lastTimestamp?.getTime(), clock.now());
  });

  it('combines the 10th and later distinct messages of one reason about one object', async () => {
    const { client, calls } = fakeClient();
    const recorder = new EventRecorder(client, 'test', pino({ level: 'silent' }), { clock: new FakeClock() });
    const rs = replicaSet('a');
    for (let i = 1; i <= 15; i++)
      await recorder.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: p${i}`);
    const creates = calls.filter((c) => c.verb === 'create');
    assert.equal(creates.length, 10, '9 events as they are, then one combined event');
    assert.equal(creates[9]?.body.message, '(combined from similar events): Created pod: p10');
    const patches = calls.filter((c) => c.verb === 'patch');
    assert.equal(patches.length, 5);
    assert.ok(patches.every((p) => p.name === creates[9]?.name));
    assert.equal(patches.at(-1)?.body.count, 6);
    assert.equal(patches.at(-1)?.body.message, '(combined from similar events): Created pod: p15');
    // Another reason, or another object, is a group of its own.
    await recorder.record(rs, 'Normal', 'SuccessfulDelete', 'Deleted pod: p1');
    await recorder.record(replicaSet('b'), 'Normal', 'SuccessfulCreate', 'Created pod: p1');
    assert.deepEqual(
      calls.slice(-2).map((c) => c.body.message),
      ['Deleted pod: p1', 'Created pod: p1'],
    );
  });

  it('writes at most 25 events about an object, then one more every 5 minutes', async () => {
    const clock = new FakeClock();
    const { client, calls } = fakeClient();
    const recorder = new EventRecorder(client, 'test', pino({ level: 'silent' }), { clock });
    const rs = replicaSet('a');
    for (let i = 0; i < 40; i++) await recorder.record(rs, 'Warning', 'Failed', 'same failure');
    assert.equal(calls.length, 25);
    assert.equal(calls.at(-1)?.body.count, 25);
    await clock.advance(300_000);
    await recorder.record(rs, 'Warning', 'Failed', 'same failure');
    assert.equal(calls.length, 26);
    assert.equal(calls.at(-1)?.body.count, 41, 'dropped repeats still count');
  });

  it('creates the event afresh when the one to patch is gone', async () => {
    const missing = new Set<string>();
    const { client, calls } = fakeClient(missing);
    const recorder = new EventRecorder(client, 'test', pino({ level: 'silent' }), { clock: new FakeClock() });
    const rs = replicaSet('a');
    await recorder.record(rs, 'Normal', 'Scaled', 'scaled to 3');
    missing.add(calls[0]?.name ?? '');
    await recorder.record(rs, 'Normal', 'Scaled', 'scaled to 3');
    assert.deepEqual(
      calls.map((c) => c.verb),
      ['create', 'patch', 'create'],
    );
    assert.equal(calls[2]?.body.count, 2);
  });

  it('writes one event at a time, in the order recorded', async () => {
    const order: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const events = {
      create: async (event: CoreV1Event) => {
        order.push(`start ${event.message ?? ''}`);
        if (event.message === 'first') await gate;
        order.push(`end ${event.message ?? ''}`);
        return event;
      },
    };
    const client = { resource: () => events } as unknown as Client;
    const recorder = new EventRecorder(client, 'test', pino({ level: 'silent' }), { clock: new FakeClock() });
    const first = recorder.record(replicaSet('a'), 'Normal', 'A', 'first');
    const second = recorder.record(replicaSet('b'), 'Normal', 'B', 'second');
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await Promise.all([first, second]);
    assert.deepEqual(order, ['start first', 'end first', 'start second', 'end second']);
  });
});
