// Line charts as a standalone SVG string, for benchmark results checked into docs/ (scale-curve.bench.ts):
// panels side by side sharing one logarithmic x axis (the sizes measured) and one legend, each with a
// linear y axis from 0. Pure and dependency-free, so a unit test can read what it draws.

export interface ChartPoint {
  readonly x: number;
  readonly y: number;
}

export interface ChartSeries {
  /** The legend's text; a series of the same name keeps its colour across panels. */
  readonly name: string;
  readonly points: readonly ChartPoint[];
}

export interface ChartPanel {
  readonly title: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
}

export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly panels: readonly ChartPanel[];
  /** An x tick's label; default compactCount (1000 → 1k). */
  readonly formatX?: (x: number) => string;
  /** The label written next to each point; default formatValue. */
  readonly formatY?: (y: number) => string;
}

const PANEL_WIDTH = 440;
const PANEL_HEIGHT = 320;
/** Room above the panels for the title and the legend. */
const HEADER = 72;
const PLOT = { left: 64, right: 24, top: 40, bottom: 56 } as const;
const PLOT_WIDTH = PANEL_WIDTH - PLOT.left - PLOT.right;
const PLOT_HEIGHT = PANEL_HEIGHT - PLOT.top - PLOT.bottom;
/** Distinct in hue and lightness; the dashes tell them apart in greyscale too. */
const COLOURS = ['#3178c6', '#e8590c', '#2b8a3e', '#862e9c'] as const;
const DASHES = ['', '7 4', '2 3', '9 3 2 3'] as const;

/** Text and attribute values safe inside XML. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** 200 → 200, 1000 → 1k, 50000 → 50k, 1500 → 1.5k, 2000000 → 2M. */
export function compactCount(x: number): string {
  if (Math.abs(x) >= 1e6) return `${Number((x / 1e6).toPrecision(3))}M`;
  if (Math.abs(x) >= 1e3) return `${Number((x / 1e3).toPrecision(3))}k`;
  return String(Number(x.toPrecision(3)));
}

/** Three significant figures or so: 1234 → 1234, 56.78 → 56.8, 0.1234 → 0.12. */
export function formatValue(y: number): string {
  if (Math.abs(y) >= 100) return y.toFixed(0);
  if (Math.abs(y) >= 10) return y.toFixed(1);
  return y.toFixed(2);
}

/** 0 to at least `max` in about `count` steps of 1, 2, 2.5 or 5 times a power of ten. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((n) => raw <= n * magnitude) ?? 10) * magnitude;
  const steps = Math.ceil(max / step - 1e-9);
  // toPrecision: 0.1 * 3 is 0.30000000000000004, which would print as such.
  return Array.from({ length: steps + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

/** Rejects what the axes cannot show, naming the series and panel. */
function check(chart: LineChart): void {
  if (chart.panels.length === 0) throw new Error('a line chart needs at least one panel');
  for (const panel of chart.panels) {
    if (panel.series.length === 0) throw new Error(`panel "${panel.title}" has no series`);
    for (const series of panel.series) {
      const where = `series "${series.name}" in panel "${panel.title}"`;
      if (series.points.length === 0) throw new Error(`${where} has no points`);
      for (const { x, y } of series.points) {
        if (!Number.isFinite(x) || x <= 0)
          throw new Error(`${where}: x must be a positive number on a log axis, got ${x}`);
        if (!Number.isFinite(y) || y < 0)
          throw new Error(`${where}: y must be a number ≥ 0 on an axis from 0, got ${y}`);
      }
    }
  }
}

const round = (n: number) => Number(n.toFixed(1));

/** Renders `chart` as an SVG document; throws on empty panels or series and on x ≤ 0. */
export function renderLineChart(chart: LineChart): string {
  check(chart);
  const formatX = chart.formatX ?? compactCount;
  const formatY = chart.formatY ?? formatValue;
  const names = [...new Set(chart.panels.flatMap((panel) => panel.series.map((s) => s.name)))];
  const styleOf = (name: string) => {
    const i = names.indexOf(name);
    return { colour: COLOURS[i % COLOURS.length] ?? '#000', dash: DASHES[i % DASHES.length] ?? '' };
  };
  const dashAttribute = (dash: string) => (dash ? ` stroke-dasharray="${dash}"` : '');

  // One x axis for every panel, so the same size sits at the same place in each.
  const xs = [
    ...new Set(chart.panels.flatMap((p) => p.series.flatMap((s) => s.points.map((pt) => pt.x)))),
  ].sort((a, b) => a - b);
  let low = Math.log10(xs[0] ?? 1);
  let high = Math.log10(xs[xs.length - 1] ?? 1);
  if (high === low) [low, high] = [low - 0.5, high + 0.5];
  // A margin inside the plot, so the outermost points and their labels stay clear of the frame.
  const pad = (high - low) * 0.08;
  const xOf = (x: number) =>
    round(PLOT.left + ((Math.log10(x) - low + pad) / (high - low + 2 * pad)) * PLOT_WIDTH);

  const width = PANEL_WIDTH * chart.panels.length;
  const height = HEADER + PANEL_HEIGHT;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12" fill="#222">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="26" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(chart.title)}</text>`,
  ];

  // The legend, centred under the title; its width is estimated from the text length.
  const entryWidths = names.map((name) => 40 + name.length * 7);
  let legendX = (width - entryWidths.reduce((a, b) => a + b, 0)) / 2;
  out.push('<g class="legend">');
  names.forEach((name, i) => {
    const { colour, dash } = styleOf(name);
    out.push(
      `<line x1="${round(legendX)}" y1="50" x2="${round(legendX + 24)}" y2="50" stroke="${colour}" stroke-width="2"${dashAttribute(dash)}/>`,
      `<circle cx="${round(legendX + 12)}" cy="50" r="3.5" fill="${colour}"/>`,
      `<text x="${round(legendX + 30)}" y="54">${escapeXml(name)}</text>`,
    );
    legendX += entryWidths[i] ?? 0;
  });
  out.push('</g>');

  chart.panels.forEach((panel, index) => {
    const maxY = Math.max(...panel.series.flatMap((s) => s.points.map((p) => p.y)));
    // Headroom above the highest point for its label.
    const ticks = niceTicks(maxY * 1.1);
    const top = ticks[ticks.length - 1] ?? 1;
    const yOf = (y: number) => round(PLOT.top + PLOT_HEIGHT - (y / top) * PLOT_HEIGHT);
    const bottom = PLOT.top + PLOT_HEIGHT;
    const right = PLOT.left + PLOT_WIDTH;

    out.push(
      `<g class="panel" transform="translate(${index * PANEL_WIDTH} ${HEADER})">`,
      `<text x="${PANEL_WIDTH / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(panel.title)}</text>`,
    );
    for (const tick of ticks) {
      const y = yOf(tick);
      out.push(
        `<line x1="${PLOT.left}" y1="${y}" x2="${right}" y2="${y}" stroke="#e5e5e5"/>`,
        `<text x="${PLOT.left - 6}" y="${round(y + 4)}" text-anchor="end">${escapeXml(String(tick))}</text>`,
      );
    }
    for (const x of xs) {
      const px = xOf(x);
      out.push(
        `<line x1="${px}" y1="${bottom}" x2="${px}" y2="${bottom + 5}" stroke="#444"/>`,
        `<text x="${px}" y="${bottom + 18}" text-anchor="middle">${escapeXml(formatX(x))}</text>`,
      );
    }
    out.push(
      `<path d="M${PLOT.left} ${PLOT.top}V${bottom}H${right}" fill="none" stroke="#444"/>`,
      `<text x="${PLOT.left + PLOT_WIDTH / 2}" y="${bottom + 40}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
      `<text transform="translate(16 ${PLOT.top + PLOT_HEIGHT / 2}) rotate(-90)" text-anchor="middle">${escapeXml(panel.yLabel)}</text>`,
    );

    // Where series meet, the highest value's label goes above its point and the others' below.
    const highest = new Map<number, { y: number; series: number }>();
    panel.series.forEach((series, s) => {
      for (const { x, y } of series.points)
        if (!highest.has(x) || y > (highest.get(x)?.y ?? 0)) highest.set(x, { y, series: s });
    });
    panel.series.forEach((series, s) => {
      const { colour, dash } = styleOf(series.name);
      const points = [...series.points].sort((a, b) => a.x - b.x);
      out.push(
        `<g class="series" data-series="${escapeXml(series.name)}">`,
        `<polyline points="${points.map((p) => `${xOf(p.x)},${yOf(p.y)}`).join(' ')}" fill="none" stroke="${colour}" stroke-width="2"${dashAttribute(dash)}/>`,
      );
      for (const { x, y } of points) {
        const px = xOf(x);
        const py = yOf(y);
        const above = highest.get(x)?.series === s || py + 18 > bottom;
        out.push(
          `<circle cx="${px}" cy="${py}" r="3.5" fill="${colour}"/>`,
          `<text x="${px}" y="${round(above ? py - 8 : py + 17)}" text-anchor="middle" fill="${colour}">${escapeXml(formatY(y))}</text>`,
        );
      }
      out.push('</g>');
    });
    out.push('</g>');
  });
  out.push('</svg>', '');
  return out.join('\n');
}
