import { spawn } from 'node:child_process';

/** How a child process ended and what it printed. */
export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunProcessOptions {
  /** Written to stdin, which is then closed (closed at once without it). */
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** The child's working folder (default: this process's). */
  readonly cwd?: string;
  /** Kill the child after this long (its `code` is then null). */
  readonly timeoutMs?: number;
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
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
