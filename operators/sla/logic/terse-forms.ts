import { SlaSpecError } from './spec-error.ts';

// The short forms a person writes in an ApiSla: 99%, 200ms, 3$/h. The accepted grammar is the same
// as the CRD's CEL rules (api/types.ts), so anything the apiserver admits parses here; the parser
// still checks, because the logic is also used on objects that never went through the apiserver.

const PERCENT = /^ *([0-9]+(?:[.][0-9]+)?) *%? *$/;
const LATENCY = /^([0-9]+(?:[.][0-9]+)?)(us|ms|s)$/;
const COST = /^ *[$]? *([0-9]+(?:[.][0-9]+)?) *(?:[$]|USD|usd)? ?\/ ?(?:h|hr|hour)$/;

const PERCENT_FORMS = 'write a percent above 1 and below 100, such as 99%, 99.9% or "99.9"';
const LATENCY_FORMS = 'write a number with a unit: 200ms, 1.5s or 500us';
const COST_FORMS = 'write US dollars per hour: 3$/h, $3/h or 0.50 USD/h';

const LATENCY_UNIT_SECONDS: Readonly<Record<string, number>> = { us: 1e-6, ms: 1e-3, s: 1 };

// 99.9 / 100 is 0.9990000000000001 in binary floating point; keep what the person wrote.
const tidy = (value: number) => Number(value.toPrecision(12));

/** The objective as a ratio: 99% → 0.99, "99.9" → 0.999, 95 → 0.95. */
export function parsePercent(value: number | string, field = 'spec.percent'): number {
  let percent: number;
  if (typeof value === 'number') percent = value;
  else {
    const match = PERCENT.exec(value);
    if (!match?.[1]) throw new SlaSpecError(field, value, 'is not a percent', PERCENT_FORMS);
    percent = Number(match[1]);
  }
  if (!Number.isFinite(percent)) throw new SlaSpecError(field, value, 'is not a percent', PERCENT_FORMS);
  if (percent <= 1)
    throw new SlaSpecError(field, value, 'is 1% or less (a ratio?)', `${PERCENT_FORMS}; 0.99 is 99%`);
  if (percent >= 100)
    throw new SlaSpecError(field, value, 'leaves no error budget', `${PERCENT_FORMS}; 100% cannot be kept`);
  return tidy(percent / 100);
}

/** The latency target in seconds: 200ms → 0.2, 1.5s → 1.5. */
export function parseLatency(value: string, field = 'spec.latency'): number {
  const match = LATENCY.exec(value);
  if (!match?.[1] || !match[2]) throw new SlaSpecError(field, value, 'is not a latency', LATENCY_FORMS);
  const seconds = tidy(Number(match[1]) * (LATENCY_UNIT_SECONDS[match[2]] ?? 1));
  if (seconds <= 0) throw new SlaSpecError(field, value, 'is zero', LATENCY_FORMS);
  return seconds;
}

/** The cost ceiling in US dollars per hour: 3$/h → 3, "0.50 USD/h" → 0.5. */
export function parseCost(value: string, field = 'spec.cost'): number {
  const match = COST.exec(value);
  if (!match?.[1]) throw new SlaSpecError(field, value, 'is not a cost per hour', COST_FORMS);
  const perHour = Number(match[1]);
  if (perHour <= 0) throw new SlaSpecError(field, value, 'is zero', COST_FORMS);
  return perHour;
}
