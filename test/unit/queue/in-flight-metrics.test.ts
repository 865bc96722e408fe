import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../sdk/clock/fake-clock.ts';
import { metricsRegistry } from '../../../sdk/metrics/registry.ts';
import { WorkQueue } from '../../../sdk/queue/work-queue.ts';

async function series(metric: string, queue: string): Promise<string | undefined> {
  const text = await metricsRegistry.getSingleMetricAsString(metric);
  return text.split('\n').find((line) => line.startsWith(`${metric}{name="${queue}",controller="${queue}"}`));
}

describe('workqueue in-flight gauges', () => {
  it('report the summed and the longest processing time of the keys in flight, as of the scrape', async () => {
    const clock = new FakeClock();
    const name = `in-flight-${Math.random().toString(36).slice(2)}`;
    const queue = new WorkQueue<string>({ name, clock });
    queue.add('a');
    queue.add('b');
    assert.equal(await queue.get(), 'a');
    await clock.advance(2000);
    assert.equal(await queue.get(), 'b');
    await clock.advance(1000);
    assert.equal(
      await series('workqueue_unfinished_work_seconds', name),
      `workqueue_unfinished_work_seconds{name="${name}",controller="${name}"} 4`,
    );
    assert.equal(
      await series('workqueue_longest_running_processor_seconds', name),
      `workqueue_longest_running_processor_seconds{name="${name}",controller="${name}"} 3`,
    );
    queue.done('a');
    queue.done('b');
    assert.match((await series('workqueue_unfinished_work_seconds', name)) ?? '', / 0$/);
    assert.match((await series('workqueue_longest_running_processor_seconds', name)) ?? '', / 0$/);
    queue.shutdown();
    assert.equal(
      await series('workqueue_unfinished_work_seconds', name),
      undefined,
      'a shut-down queue leaves no series',
    );
  });
});
