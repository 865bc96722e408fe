import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { niceTicks, renderLineChart, type LineChart } from '../../bench/svg-chart.ts';

const chart: LineChart = {
  title: 'Scale <curve> & "friends"',
  xLabel: 'items (log scale)',
  panels: [
    {
      title: 'items/s until all ready',
      yLabel: 'items/s',
      series: [
        // Out of order on purpose: the chart draws them by x.
        {
          name: 'Typerator',
          points: [
            { x: 50_000, y: 900 },
            { x: 1_000, y: 300 },
            { x: 10_000, y: 600 },
          ],
        },
        {
          name: 'controller-runtime <Go>',
          points: [
            { x: 1_000, y: 400 },
            { x: 10_000, y: 700 },
            { x: 50_000, y: 800 },
          ],
        },
      ],
    },
    {
      title: 'peak RSS MiB',
      yLabel: 'MiB',
      series: [
        {
          name: 'Typerator',
          points: [
            { x: 1_000, y: 80 },
            { x: 10_000, y: 120 },
            { x: 50_000, y: 300 },
          ],
        },
        {
          name: 'controller-runtime <Go>',
          points: [
            { x: 1_000, y: 40 },
            { x: 10_000, y: 60 },
            { x: 50_000, y: 150 },
          ],
        },
      ],
    },
  ],
};

/** Each polyline's points, in the order drawn. */
function polylines(svg: string): { x: number; y: number }[][] {
  return [...svg.matchAll(/<polyline points="([^"]*)"/g)].map((match) =>
    (match[1] ?? '').split(' ').map((pair) => {
      const [x, y] = pair.split(',').map(Number);
      return { x: x ?? NaN, y: y ?? NaN };
    }),
  );
}

describe('renderLineChart', () => {
  it('writes one SVG document with a viewBox', () => {
    const svg = renderLineChart(chart);
    assert.match(
      svg,
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" /,
    );
    assert.match(svg, /<svg [^>]*viewBox="0 0 880 \d+"/);
    assert.ok(svg.trimEnd().endsWith('</svg>'));
    assert.equal(svg.match(/<svg /g)?.length, 1);
    // Every element opened is closed (self-closing ones aside).
    for (const tag of ['g', 'text', 'svg', 'title'])
      assert.equal(
        svg.match(new RegExp(`<${tag}[ >]`, 'g'))?.length,
        svg.match(new RegExp(`</${tag}>`, 'g'))?.length,
        tag,
      );
  });

  it('draws one polyline per series in each panel, each series in one colour across panels', () => {
    const svg = renderLineChart(chart);
    assert.equal(polylines(svg).length, 4);
    const panels = svg.split('<g class="panel"').slice(1);
    assert.equal(panels.length, 2);
    for (const panel of panels) assert.equal(panel.match(/<polyline /g)?.length, 2);
    const strokes = [...svg.matchAll(/<polyline [^>]*stroke="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
    assert.equal(strokes[0], strokes[2]);
    assert.equal(strokes[1], strokes[3]);
    assert.notEqual(strokes[0], strokes[1]);
  });

  it('places points left to right by x, a larger y higher up', () => {
    const [typerator] = polylines(renderLineChart(chart));
    assert.ok(typerator);
    assert.equal(typerator.length, 3);
    for (let i = 1; i < typerator.length; i++) {
      const before = typerator[i - 1];
      const after = typerator[i];
      assert.ok(before && after);
      assert.ok(after.x > before.x, 'x increases along the line');
      // The data rise with x, so the SVG y (downwards) falls.
      assert.ok(after.y < before.y, 'a larger value sits higher');
    }
  });

  it('labels the x axis at the sizes given, compactly, and writes the values', () => {
    const svg = renderLineChart(chart);
    for (const label of ['>1k<', '>10k<', '>50k<', '>900<', '>300<', '>150<'])
      assert.ok(svg.includes(label), label);
  });

  it('escapes text for XML', () => {
    const svg = renderLineChart(chart);
    assert.ok(svg.includes('Scale &lt;curve&gt; &amp; &quot;friends&quot;'));
    assert.ok(svg.includes('controller-runtime &lt;Go&gt;'));
    assert.ok(!svg.includes('<curve>'));
    assert.ok(!svg.includes('<Go>'));
  });

  it('rejects an empty series, and x ≤ 0 on the log axis, naming them', () => {
    const withSeries = (points: LineChart['panels'][number]['series'][number]['points']): LineChart => ({
      ...chart,
      panels: [{ title: 'p', yLabel: 'y', series: [{ name: 'empty one', points }] }],
    });
    assert.throws(() => renderLineChart(withSeries([])), {
      name: 'Error',
      message: /series "empty one" in panel "p" has no points/,
    });
    assert.throws(
      () => renderLineChart(withSeries([{ x: 0, y: 1 }])),
      /x must be a positive number on a log axis, got 0/,
    );
    assert.throws(() => renderLineChart(withSeries([{ x: -5, y: 1 }])), /log axis, got -5/);
    assert.throws(() => renderLineChart({ ...chart, panels: [] }), /at least one panel/);
    assert.throws(
      () => renderLineChart({ ...chart, panels: [{ title: 'p', yLabel: 'y', series: [] }] }),
      /panel "p" has no series/,
    );
  });

  it('draws a single size in the middle of the axis', () => {
    const one: LineChart = {
      ...chart,
      panels: [{ title: 'p', yLabel: 'y', series: [{ name: 's', points: [{ x: 200, y: 3 }] }] }],
    };
    const [line] = polylines(renderLineChart(one));
    // The plot spans x 64 to 416 of the 440-wide panel.
    assert.deepEqual(
      line?.map((p) => p.x),
      [240],
    );
  });
});

describe('niceTicks', () => {
  it('steps from 0 past the maximum by 1, 2, 2.5 or 5 times a power of ten', () => {
    assert.deepEqual(niceTicks(9.5), [0, 2, 4, 6, 8, 10]);
    assert.deepEqual(niceTicks(330), [0, 100, 200, 300, 400]);
    assert.deepEqual(niceTicks(0.3), [0, 0.1, 0.2, 0.3]);
    assert.deepEqual(niceTicks(0), [0, 1]);
  });
});
