// What the peers benchmarks share about running each side in a process of its own: the Go peer's
// binary and label, waiting for a child's first line of output, stopping it, and the tail of its log.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const buildScript = fileURLToPath(new URL('build-peer.sh', import.meta.url));
const goMod = fileURLToPath(new URL('controller-runtime/go.mod', import.meta.url));

export type Side = 'controller-runtime' | 'typerator';
/** Trial 1 runs controller-runtime first, trial 2 Typerator first, and so on. */
export const sidesInOrderOf = (trial: number): readonly Side[] =>
  trial % 2 === 1 ? ['controller-runtime', 'typerator'] : ['typerator', 'controller-runtime'];

/** The Go peer's binary, built by build-peer.sh on first need (progress on stderr). */
export function buildGoPeer(): string {
  return execFileSync('bash', [buildScript], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  }).trim();
}

/** `controller-runtime v0.22.5`, the version read from the peer's go.mod so the label never lags. */
export function goPeerLabel(): string {
  const version = /^\s*sigs\.k8s\.io\/controller-runtime (v\S+)/m.exec(readFileSync(goMod, 'utf8'))?.[1];
  return `controller-runtime ${version ?? '(unknown version)'}`;
}

export const labelOf = (side: Side): string => (side === 'typerator' ? 'Typerator' : goPeerLabel());

/** The last `lines` lines of a log file, for an error report. */
export function tail(file: string, lines: number): string {
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '';
}

/** Runs `task` on every item with at most `limit` running at once. */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * The first line a child writes on stdout (spawned with stdout piped), as soon as it arrives; the
 * callback runs in the same tick, so what it reads from /proc belongs to that moment.
 */
export function firstLineOf<T>(
  child: ChildProcess,
  timeoutMs: number,
  onLine: (line: string) => T,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      finish(new Error(`no output line after ${timeoutMs} ms`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const end = output.indexOf('\n');
      if (end < 0) return;
      try {
        resolve(onLine(output.slice(0, end)));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
      finish(undefined);
    };
    const onExit = (code: number | null, signal: string | null) => {
      finish(new Error(`exited (code ${code}, signal ${signal}) before writing a line`));
    };
    const finish = (error: Error | undefined) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Sends SIGTERM, and SIGKILL if the child is still there after `graceMs`; resolves with its exit code. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}
