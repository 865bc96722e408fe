import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { WaitTimeoutError, waitUntil } from './wait-until.ts';

/** How a component ended: its exit code, or the signal that ended it. */
export interface ComponentExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * One upstream program started by the control plane, with stdout and stderr captured to a log file.
 * The process is tracked from spawn to exit; `stop()` asks it to end and kills it if it lingers.
 */
export class ComponentProcess {
  readonly exited: Promise<ComponentExit>;
  private readonly child: ChildProcess;
  private exit: ComponentExit | undefined;

  readonly name: string;
  readonly logFile: string;

  constructor(name: string, binary: string, args: readonly string[], logFile: string) {
    this.name = name;
    this.logFile = logFile;
    const logFd = openSync(logFile, 'a');
    try {
      // A process group of its own: Ctrl-C in a terminal reaches the owner (a test run, typerator
      // dev), which stops the components in order, instead of killing the apiserver under it. If
      // the owner dies, its exit hook or the orphan reaper ends them.
      this.child = spawn(binary, args, { stdio: ['ignore', logFd, logFd], detached: true });
    } finally {
      closeSync(logFd);
    }
    this.exited = new Promise((resolve) => {
      // 'error' fires instead of 'exit' when the binary cannot be spawned at all.
      this.child.once('error', () => {
        this.exit ??= { code: -1, signal: null };
        resolve(this.exit);
      });
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** The last `lines` lines of the component's log, for error messages. */
  logTail(lines = 40): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log written)';
    }
  }

  /** Sends `signal` without waiting (e.g. SIGKILL to simulate a crash). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.running) this.child.kill(signal);
  }

  /** Ends the process: SIGTERM, then SIGKILL after `graceMs`. Resolves once it has exited. */
  async stop(graceMs = 10_000): Promise<ComponentExit> {
    if (!this.running) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Polls `isReady` until it holds; gives up early when the process exits. Returns undefined once
   * ready, or why it never became so (its exit, or the timeout), for the caller's typed error.
   */
  async waitUntilReady(
    isReady: () => Promise<boolean> | boolean,
    options: { readonly what: string; readonly timeoutMs: number; readonly intervalMs: number },
  ): Promise<string | undefined> {
    const exited = new AbortController();
    void this.exited.then(() => {
      exited.abort();
    });
    try {
      await waitUntil(isReady, { ...options, signal: exited.signal });
      return undefined;
    } catch (error) {
      const exit = this.running ? undefined : await this.exited;
      if (exit)
        return `exited with ${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`} before becoming ready`;
      return error instanceof WaitTimeoutError ? `not ready within ${options.timeoutMs} ms` : String(error);
    } finally {
      exited.abort();
    }
  }
}
