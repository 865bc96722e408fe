import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import type * as PinoPretty from 'pino-pretty';
import { SetupError } from '../errors/setup-error.ts';

/** `pretty`: coloured lines for people; `json`: one JSON object per line for log pipelines. */
export type LogFormat = 'pretty' | 'json';

/** A log setting from the environment is malformed; the message names the variable. */
export class LogSettingError extends SetupError {
  override readonly name = 'LogSettingError';
}

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /**
   * Who logs (`deployment-operator`), under the `logger` key: pino's own `name` key would collide
   * with the `name` of the object a reconcile logs about.
   */
  readonly component?: string;
  /** Default `LOG_LEVEL`, else `info`. */
  readonly level?: string;
  /** Default `LOG_FORMAT`, else `pretty` on a terminal and `json` otherwise. */
  readonly format?: LogFormat;
  /** Where lines go; default stdout. */
  readonly destination?: DestinationStream & { isTTY?: boolean };
}

const LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function levelFrom(value: string | undefined, variable: string): Level | 'silent' {
  if (value === undefined || value === '') return 'info';
  if (!LEVELS.includes(value))
    throw new LogSettingError(`${variable}=${value} is not a log level: use one of ${LEVELS.join(', ')}`);
  return value as Level | 'silent';
}

function formatFrom(value: string | undefined, terminal: boolean): LogFormat {
  if (value === undefined || value === '') return terminal ? 'pretty' : 'json';
  if (value !== 'pretty' && value !== 'json')
    throw new LogSettingError(`LOG_FORMAT=${value} is not a log format: use pretty or json`);
  return value;
}

/**
 * A pino logger for an operator: pretty, coloured lines on a terminal, JSON otherwise (or as
 * `LOG_FORMAT` says), at `LOG_LEVEL`. Throws {@link LogSettingError} for a malformed setting.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? process.stdout;
  const level = options.level ?? levelFrom(process.env['LOG_LEVEL'], 'LOG_LEVEL');
  if (!LEVELS.includes(level))
    throw new LogSettingError(`log level "${level}": use one of ${LEVELS.join(', ')}`);
  const format = options.format ?? formatFrom(process.env['LOG_FORMAT'], destination.isTTY === true);
  const settings = { level, ...(options.component ? { base: { logger: options.component } } : {}) };
  if (format === 'json') return pino(settings, destination);
  // Loaded only for people reading a terminal: an operator logging JSON in a pod never pays its ~10 MiB.
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  const prettify = prettyFactory({
    colorize: destination.isTTY === true,
    translateTime: 'HH:MM:ss.l',
    // `deployments default/web: reconciled`, then the other fields; `name` is the object's.
    messageFormat:
      '{if controller}{controller} {end}{if namespace}{namespace}/{end}{if name}{name}: {end}{msg}',
    ignore: 'pid,hostname,logger,controller,namespace,name,reconcileID',
  });
  // Synchronous, so nothing is lost when the process exits right after a line.
  const pretty = { write: (line: string) => destination.write(prettify(line)) };
  return pino(settings, pretty);
}
