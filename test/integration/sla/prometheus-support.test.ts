import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startPrometheus, waitUntil, type PrometheusServer } from '../../../sdk/testing/index.ts';
import { startDemoService, type DemoService } from '../../support/sla/demo-service.ts';
import { startLoadGenerator, type LoadGenerator } from '../../support/sla/load-generator.ts';
import { PrometheusQueryError, queryValue, queryVector } from '../../support/sla/prometheus-query.ts';

// The good-ratio query the SLA operator runs for a 200 ms target, over a compressed 10 s window.
const GOOD_RATIO =
  'sum(rate(http_request_duration_seconds_bucket{app="web",le="0.2"}[10s]))' +
  ' / sum(rate(http_request_duration_seconds_count{app="web"}[10s]))';

describe('SLA test support: real Prometheus scraping the demo service', () => {
  let replicas = 4;
  let demo: DemoService;
  let prometheus: PrometheusServer;
  let load: LoadGenerator;
  const goodRatio = () => queryValue(prometheus.url, GOOD_RATIO);
  // The good ratio once it satisfies `accept`, polled through the query API.
  const goodRatioWhen = (accept: (ratio: number) => boolean, what: string, timeoutMs: number) =>
    waitUntil(
      async () => {
        const ratio = await goodRatio();
        return ratio !== undefined && accept(ratio) ? ratio : undefined;
      },
      { what, timeoutMs, intervalMs: 500 },
    );
  const log = (message: string) => {
    console.log(`# ${message}`);
  };

  before(async () => {
    demo = await startDemoService({ name: 'web', replicas: () => replicas });
    prometheus = await startPrometheus({ targets: [demo.target()], scrapeIntervalMs: 1_000 });
    load = startLoadGenerator({ url: demo.url, rate: 30 });
  });
  after(async () => {
    await load.stop();
    await prometheus.stop();
    await demo.close();
  });

  it('scrapes the histogram, with the 0.2 bucket labelled le="0.2"', async () => {
    const leValues = await waitUntil(
      async () => {
        const response = await fetch(`${prometheus.url}/api/v1/label/le/values`);
        const body = (await response.json()) as { data: string[] };
        return body.data.length > 0 ? body.data : undefined;
      },
      { what: 'le label values in Prometheus', timeoutMs: 15_000, intervalMs: 250 },
    );
    log(`le values stored by Prometheus: ${leValues.join(', ')}`);
    assert.ok(leValues.includes('0.2'), `expected le="0.2" among ${leValues.join(', ')}`);
    const bucket = await queryVector(prometheus.url, 'http_request_duration_seconds_bucket{le="0.2"}');
    assert.equal(bucket.length, 1);
    assert.deepEqual(
      {
        app: bucket[0]?.labels['app'],
        job: bucket[0]?.labels['job'],
        instance: bucket[0]?.labels['instance'],
      },
      { app: 'web', job: 'test', instance: demo.address },
    );
  });

  it('the good ratio drops when load per replica rises and recovers when replicas rise', async () => {
    // 30 req/s over 4 replicas of 20 req/s: utilisation 0.375, about 99% of requests under 0.2 s.
    const healthy = await goodRatioWhen(
      (r) => r >= 0.97,
      'a good ratio ≥ 0.97 at 30 req/s over 4 replicas',
      20_000,
    );
    log(`30 req/s, 4 replicas: good ratio ${healthy}`);

    // 70 req/s over the same 4: utilisation 0.875, about 68% under 0.2 s.
    load.setRate(70);
    const broken = await goodRatioWhen(
      (r) => r < 0.85,
      'the good ratio to fall below 0.85 at 70 req/s over 4 replicas',
      20_000,
    );
    log(
      `70 req/s, 4 replicas: good ratio ${broken} (arrival rate seen ${demo.arrivalRate().toFixed(1)} req/s)`,
    );

    // Scale to 8: utilisation 0.44, about 99% again once the 10 s window has forgotten the slow part.
    replicas = 8;
    const recovered = await goodRatioWhen(
      (r) => r >= 0.95,
      'the good ratio to recover to ≥ 0.95 at 70 req/s over 8 replicas',
      25_000,
    );
    log(`70 req/s, 8 replicas: good ratio ${recovered}`);
    const stats = load.stats();
    assert.equal(stats.failed, 0, `load generator stats: ${JSON.stringify(stats)}`);
  });

  it('a replica-independent service does not get faster with more replicas', () => {
    demo.setModel({ replicaIndependent: true });
    try {
      replicas = 1;
      const withOne = demo.meanLatencySeconds();
      replicas = 8;
      assert.equal(demo.meanLatencySeconds(), withOne);
    } finally {
      demo.setModel({ replicaIndependent: false });
    }
  });

  it('setTargets() removes and restores the scrape target', async () => {
    const up = () => queryVector(prometheus.url, 'up{app="web"}');
    prometheus.setTargets([]);
    // A removed target's series are marked stale at once, so `up` disappears rather than lingering.
    await waitUntil(async () => (await up()).length === 0, {
      what: 'up{app="web"} to disappear after setTargets([])',
      timeoutMs: 15_000,
      intervalMs: 250,
    });
    prometheus.setTargets([demo.target()]);
    await waitUntil(async () => (await up())[0]?.value === 1, {
      what: 'up{app="web"} to be 1 again',
      timeoutMs: 15_000,
      intervalMs: 250,
    });
  });

  it('queries time out while Prometheus is paused, and answer after resume()', async () => {
    prometheus.pause();
    try {
      await assert.rejects(queryValue(prometheus.url, 'up', 1_000), PrometheusQueryError);
    } finally {
      prometheus.resume();
    }
    assert.equal(await queryValue(prometheus.url, 'up{app="web"}'), 1);
  });

  it('queries fail while Prometheus is gone, and work again after restart()', async () => {
    await prometheus.kill();
    assert.equal(prometheus.running, false);
    await assert.rejects(goodRatio(), (error: unknown) => {
      assert.ok(error instanceof PrometheusQueryError, String(error));
      assert.match(error.message, /cannot connect .*ECONNREFUSED/);
      return true;
    });
    const url = prometheus.url;
    await prometheus.restart();
    assert.equal(prometheus.url, url, 'restart keeps the port');
    // The data survives the crash (the WAL is replayed) and still answers; wait for a scrape made
    // after the restart. timestamp() of a bare selector is the sample's own time.
    const restartedAt = Date.now() / 1_000;
    await waitUntil(
      async () => ((await queryValue(prometheus.url, 'timestamp(up{app="web"})')) ?? 0) > restartedAt,
      {
        what: 'a sample of up{app="web"} scraped after the restart',
        timeoutMs: 15_000,
        intervalMs: 250,
      },
    );
    assert.equal(await queryValue(prometheus.url, 'up{app="web"}'), 1);
  });
});
