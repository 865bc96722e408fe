/**
 * `typerator init` or `typerator create api` cannot go ahead: a bad name, a folder in the way, not a
 * Typerator project. The message is one line that says what to do; the CLI prints it without a stack.
 */
export class ScaffoldError extends Error {
  override readonly name = 'ScaffoldError';
}
