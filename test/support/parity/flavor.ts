// The two implementations a parity scenario runs against, and the comparison of their outcomes.
import assert from 'node:assert/strict';

/** Which implementation runs the scenario: kube-controller-manager's controller, or ours. */
export type Flavor = 'built-in' | 'typerator';

export const flavors: readonly Flavor[] = ['built-in', 'typerator'];

/**
 * Runs `scenario` for the built-in flavor, then ours, and requires equal outcomes (whatever the
 * workload compares: summaries, sequences, events).
 */
export async function parity<Outcome>(
  name: string,
  scenario: (flavor: Flavor) => Promise<Outcome>,
): Promise<void> {
  const outcomes = new Map<Flavor, Outcome>();
  for (const flavor of flavors) outcomes.set(flavor, await scenario(flavor));
  assert.deepEqual(outcomes.get('typerator'), outcomes.get('built-in'), `${name}: flavors differ`);
}

/** Consecutive duplicates dropped: the distinct states in the order they were seen. */
export function distinctSequence<T>(values: readonly T[]): T[] {
  return values.filter((v, i) => i === 0 || v !== values[i - 1]);
}
