import { spawn } from 'node:child_process';

/** How a child process ended and what it printed. */
export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** When `signalWhen` sent its signal (Date.now()), if it did. */
  readonly signalledAt?: number;
}

export interface RunProcessOptions {
  /** Written to stdin, which is then closed (closed at once without it). */
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** The child's working folder (default: this process's). */
  readonly cwd?: string;
  /** Kill the child after this long (its `code` is then null). */
  readonly timeoutMs?: number;
  /** Send `signal` to the child once its output so far (stdout and stderr) matches `output`. */
  readonly signalWhen?: { readonly output: RegExp; readonly signal: NodeJS.Signals };
}

/**
 * Runs a command to completion without blocking the event loop (a server in the test process
 * may have to answer it meanwhile), collecting stdout and stderr.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: RunProcessOptions = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: 'pipe',
      ...(options.env ? { env: options.env } : {}),
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
    });
    let stdout = '';
    let stderr = '';
    let signalledAt: number | undefined;
    const signalIfDue = () => {
      const due = options.signalWhen;
      if (!due || signalledAt !== undefined || !due.output.test(stdout + stderr)) return;
      signalledAt = Date.now();
      child.kill(due.signal);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      signalIfDue();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      signalIfDue();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, ...(signalledAt !== undefined ? { signalledAt } : {}) }),
    );
    child.stdin.end(options.input ?? '');
  });
}
