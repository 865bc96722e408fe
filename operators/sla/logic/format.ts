// How numbers read in messages and printer columns: short, and without floating-point noise.

/** 0.99 → "99%", 0.999 → "99.9%", 0.99412 → "99.41%" (at most `digits` decimals, no trailing zeros). */
export function formatPercent(ratio: number, digits = 2): string {
  return `${Number((ratio * 100).toFixed(digits))}%`;
}

/** 0.2 → "200ms", 1.5 → "1.5s", 0.0005 → "500us". */
export function formatLatency(seconds: number): string {
  if (seconds >= 1) return `${Number(seconds.toPrecision(6))}s`;
  if (seconds >= 1e-3) return `${Number((seconds * 1e3).toPrecision(6))}ms`;
  return `${Number((seconds * 1e6).toPrecision(6))}us`;
}

/** A dollar amount with three significant digits: 0.017924 → "0.0179", 3 → "3". */
export function formatDollars(amount: number): string {
  return String(Number(amount.toPrecision(3)));
}

/** A burn rate or request rate with two significant digits at most one decimal above 10. */
export function formatRate(value: number): string {
  return String(Number(value >= 10 ? value.toFixed(1) : value.toPrecision(2)));
}

/** "1 replica", "3 replicas". */
export const replicasText = (count: number) => `${count} ${count === 1 ? 'replica' : 'replicas'}`;

/** The objective in words: "99% ≤ 200ms". */
export function objectiveText(ratio: number, latencySeconds: number): string {
  return `${formatPercent(ratio, 4)} ≤ ${formatLatency(latencySeconds)}`;
}

/** A duration in milliseconds as the largest whole unit that fits, for messages: "5m", "90s". */
export function formatWindow(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ] as const)
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))}s` : `${ms}ms`;
}
