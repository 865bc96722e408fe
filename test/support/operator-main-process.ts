// An example operator's main.ts as it is deployed, in a process of its own, for tests that need the
// real entry point (environment configuration, leader election, SIGTERM handling, a SIGKILL).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** The example operators with a main.ts, and `all`: operators/main.ts, every example in one process. */
export type ExampleOperator = 'deployment' | 'statefulset' | 'all';

const mainOf = (operator: ExampleOperator) =>
  fileURLToPath(
    new URL(
      operator === 'all' ? '../../operators/main.ts' : `../../operators/${operator}/main.ts`,
      import.meta.url,
    ),
  );

/** The running operator; its stdout and stderr are kept. */
export interface OperatorMainProcess {
  /** Aborted at the first log line matching `abortOn`, with that line in the reason. */
  readonly signal: AbortSignal;
  readonly log: () => string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL if still running. */
  kill(): void;
}

export interface OperatorMainProcessOptions {
  /** Environment on top of this process's; metrics and probes default to off, logs to debug. */
  readonly env: Readonly<Record<string, string>>;
  /** Command-line arguments after the script, e.g. a chart's `--operators=...`. */
  readonly args?: readonly string[];
  /** A log line matching this aborts `signal`, so waits given it fail at once, not at their timeout. */
  readonly abortOn?: { readonly pattern: RegExp; readonly reason: string };
}

export function startOperatorMain(
  operator: ExampleOperator,
  options: OperatorMainProcessOptions,
): OperatorMainProcess {
  const child = spawn(process.execPath, [mainOf(operator), ...(options.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      METRICS_BIND_ADDRESS: 'off',
      HEALTH_PROBE_BIND_ADDRESS: 'off',
      LOG_LEVEL: 'debug',
      ...options.env,
    },
  });
  let log = '';
  const aborted = new AbortController();
  const { abortOn } = options;
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    log += text;
    if (!abortOn || aborted.signal.aborted || !abortOn.pattern.test(text)) return;
    const line = text.split('\n').find((l) => abortOn.pattern.test(l)) ?? text;
    aborted.abort(new Error(`${abortOn.reason}: ${line.slice(0, 500)}`));
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    signal: aborted.signal,
    log: () => log,
    async stop() {
      if (!running()) return child.exitCode;
      const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      child.kill('SIGTERM');
      return (await exited)[0];
    },
    kill() {
      if (running()) child.kill('SIGKILL');
    },
  };
}
