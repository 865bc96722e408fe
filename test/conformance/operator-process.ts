// Starts the drop-in operator as a child process — the shipped runner, `node operators/main.ts
// --operators apps-v1`, as a user would run it — waits until it is ready, and stops it; its log goes
// to a file in the run's folder.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { openSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../sdk/testing/free-port.ts';
import { waitUntil } from '../../sdk/testing/index.ts';
import { OperatorProcessError } from './errors.ts';

const ENTRY = fileURLToPath(new URL('../../operators/main.ts', import.meta.url));
const READY_TIMEOUT_MS = 120_000;

export interface OperatorProcess {
  readonly logFile: string;
  /** Why the process ended before `stop()`, or undefined while it runs. */
  endedEarly(): string | undefined;
  /** SIGTERM, waiting for the graceful shutdown (SIGKILL after 30 s). */
  stop(): Promise<void>;
}

export async function startDropInOperator(kubeconfig: string, logFile: string): Promise<OperatorProcess> {
  const port = await freePort();
  const out = openSync(logFile, 'a');
  const args = [
    ENTRY,
    '--operators=apps-v1',
    `--kubeconfig=${kubeconfig}`,
    `--health-probe-bind-address=127.0.0.1:${port}`,
    '--metrics-bind-address=off',
    '--no-leader-elect',
    '--log-format=json',
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', out, out] });
  closeSync(out);
  let stopping = false;
  let ended: string | undefined;
  const exited = once(child, 'exit').then(([code, signal]) => {
    if (!stopping) ended = `exited with ${signal ? `signal ${String(signal)}` : `code ${String(code)}`}`;
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    stopping = true;
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(kill);
  };
  const endedSignal = new AbortController();
  void exited.then(() => {
    endedSignal.abort();
  });
  try {
    await waitUntil(
      async () => {
        const response = await fetch(`http://127.0.0.1:${port}/readyz`);
        return response.ok;
      },
      {
        what: 'the drop-in operator to become ready',
        timeoutMs: READY_TIMEOUT_MS,
        signal: endedSignal.signal,
      },
    );
  } catch {
    await stop();
    throw new OperatorProcessError(ended ?? `was not ready within ${READY_TIMEOUT_MS / 1000} s`, logFile);
  }
  return { logFile, endedEarly: () => ended, stop };
}
