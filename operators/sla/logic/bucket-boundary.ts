// Which histogram bucket measures "at or under the latency target". The fraction bucket ÷ count is
// exact only when the target is a boundary; otherwise the nearest lower boundary is used (strict:
// it can report a miss that is not one, never a pass that is not one) and the status says so.
// Boundaries are compared as numbers, because Prometheus 3 rewrites le="1" as le="1.0" and a
// mixed fleet (or a migration) can hold both spellings of one boundary: all of them are kept.

/** The bucket chosen for the indicator. */
export type BoundaryChoice =
  | {
      /** exact: the target is a boundary; lower: the nearest boundary below it. */
      readonly kind: 'exact' | 'lower';
      /** Every le spelling of the chosen boundary, as stored in Prometheus. */
      readonly les: readonly string[];
      readonly seconds: number;
    }
  | {
      readonly kind: 'none';
      /** NoBuckets: the histogram has no finite boundary; NoBucketBelowTarget: all are above it. */
      readonly reason: 'NoBuckets' | 'NoBucketBelowTarget';
      readonly message: string;
    };

// Boundaries come from text; 0.2 written as "0.2" or "2e-1" must still match a 200ms target.
const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

/** Chooses the boundary for `targetSeconds` among the `le` label values of the histogram. */
export function chooseBoundary(targetSeconds: number, leValues: readonly string[]): BoundaryChoice {
  const finite = leValues
    .map((le) => ({ le, seconds: Number(le) }))
    .filter((b) => Number.isFinite(b.seconds) && b.le.trim() !== '');
  if (finite.length === 0)
    return { kind: 'none', reason: 'NoBuckets', message: 'the histogram has no finite bucket boundaries' };
  const exact = finite.filter((b) => same(b.seconds, targetSeconds));
  const first = exact[0];
  if (first) return { kind: 'exact', les: exact.map((b) => b.le).sort(), seconds: first.seconds };
  const below = finite.filter((b) => b.seconds < targetSeconds);
  if (below.length === 0) {
    const smallest = Math.min(...finite.map((b) => b.seconds));
    return {
      kind: 'none',
      reason: 'NoBucketBelowTarget',
      message: `every bucket boundary is above the target (smallest le=${smallest})`,
    };
  }
  const nearest = Math.max(...below.map((b) => b.seconds));
  const les = below.filter((b) => same(b.seconds, nearest)).map((b) => b.le);
  return { kind: 'lower', les: les.sort(), seconds: nearest };
}
