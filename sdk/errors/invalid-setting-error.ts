import { SetupError } from './setup-error.ts';

/**
 * A setting (a command-line flag or an environment variable) holds a value the program cannot use.
 * The message names the setting and says what to write instead, so it is reported as one line.
 */
export class InvalidSettingError extends SetupError {
  override readonly name: string = 'InvalidSettingError';
  /** The flag (`--metrics-bind-address`) or variable (`METRICS_BIND_ADDRESS`) at fault. */
  readonly setting: string;

  constructor(setting: string, message: string) {
    super(message);
    this.setting = setting;
  }

  /** `<setting>=<value> is not <what>: use <expected>`, e.g. `LOG_FORMAT=xml is not a log format: use pretty or json`. */
  static malformed(setting: string, value: string, what: string, expected: string): InvalidSettingError {
    return new InvalidSettingError(setting, `${setting}=${value} is not ${what}: use ${expected}`);
  }
}
