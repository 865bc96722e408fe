import { SlaSpecError } from './spec-error.ts';

// Durations in Prometheus's notation (30s, 5m, 1h, 28d, 1h30m), which is what people who write
// SLOs already use. Kept in milliseconds inside the logic and rendered back for PromQL ranges.

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  y: 365 * 86_400_000,
};
const WHOLE = /^(?:[0-9]+(?:ms|s|m|h|d|w|y))+$/;
const PART = /([0-9]+)(ms|s|m|h|d|w|y)/g;
const DURATION_FORMS = 'write a duration such as 30s, 5m, 1h, 28d or 1h30m';

/** Milliseconds in a Prometheus-style duration; zero is refused unless `allowZero`. */
export function parseDuration(value: string, field: string, options: { allowZero?: boolean } = {}): number {
  if (!WHOLE.test(value)) throw new SlaSpecError(field, value, 'is not a duration', DURATION_FORMS);
  let total = 0;
  for (const [, amount, unit] of value.matchAll(PART)) total += Number(amount) * (UNIT_MS[unit ?? ''] ?? 0);
  if (total === 0 && options.allowZero !== true)
    throw new SlaSpecError(field, value, 'is zero', DURATION_FORMS);
  return total;
}

/** A PromQL range for `ms`, in the largest unit that divides it: 300000 → "5m", 1500 → "1500ms". */
export function formatPromDuration(ms: number): string {
  const whole = Math.max(1, Math.round(ms));
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit] ?? 1;
    if (whole % size === 0) return `${whole / size}${unit}`;
  }
  return `${whole}ms`;
}
