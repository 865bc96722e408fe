// One error type for every spec value the operator cannot use, so the controller can put the field
// path and the accepted forms straight into a condition message.

/** A spec value that cannot be normalised: names the field, the value and what is accepted. */
export class SlaSpecError extends Error {
  override readonly name = 'SlaSpecError';
  /** Field path, e.g. `spec.latency`. */
  readonly field: string;
  readonly value: unknown;
  /** What the field accepts, e.g. `a number with a unit: 200ms, 1.5s or 500us`. */
  readonly accepted: string;

  constructor(field: string, value: unknown, problem: string, accepted: string) {
    super(`${field}: ${JSON.stringify(value)} ${problem}; ${accepted}`);
    this.field = field;
    this.value = value;
    this.accepted = accepted;
  }
}
