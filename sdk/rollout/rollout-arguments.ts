import { InvalidArgumentError } from 'commander';

// Command-line values of the rollout commands, parsed as kubectl parses them. Parsers throw
// commander's InvalidArgumentError, which commander reports with the option's name.

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration as kubectl writes one (`90s`, `5m`, `1h30m`, `250ms`; a bare number is seconds), in
 * milliseconds; 0 means no limit.
 */
export function parseDuration(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text)
    throw new InvalidArgumentError(`invalid duration ${JSON.stringify(text)} (write e.g. 30s, 5m or 1h)`);
  return parts.reduce((total, p) => total + Number(p[1]) * (DURATION_UNITS[p[2] ?? ''] ?? 0), 0);
}

/** A revision number (`--revision`, `--to-revision`): an int64, as a bigint. */
export function parseRevision(text: string): bigint {
  const value = /^[+-]?\d+$/.test(text) ? BigInt(text) : undefined;
  if (value === undefined || value < INT64_MIN || value > INT64_MAX)
    throw new InvalidArgumentError(`expected a revision number, got ${JSON.stringify(text)}`);
  return value;
}

/** What a rollout command acts on: `web` (the kind from `--kind`) or kubectl's `statefulset/web`. */
export interface RolloutTarget {
  /** The kind written before the slash, if any. */
  readonly kind?: string;
  readonly name: string;
}

/** Splits `<kind>/<name>`; a plain name has no kind. */
export function parseTarget(text: string): RolloutTarget {
  const slash = text.indexOf('/');
  if (slash < 0) return { name: text };
  const kind = text.slice(0, slash);
  const name = text.slice(slash + 1);
  if (kind === '' || name === '' || name.includes('/'))
    throw new InvalidArgumentError(`expected <name> or <kind>/<name>, got ${JSON.stringify(text)}`);
  return { kind, name };
}
