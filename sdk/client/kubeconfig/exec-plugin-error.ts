/** An exec credential plugin could not be run, failed, or answered something unusable. */
export class ExecPluginError extends Error {
  override readonly name = 'ExecPluginError';
}
