// Runs the upstream suite with the ginkgo CLI against a cluster and returns where its report is.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { E2eBinaries } from './e2e-binaries.ts';
import { GinkgoRunError, InterruptedError } from './errors.ts';
import { FOCUS, skipPattern } from './spec-selection.ts';
import type { ListedSpec } from './spec-list.ts';

export interface GinkgoRunOptions {
  readonly binaries: E2eBinaries;
  readonly kubeconfig: string;
  readonly kubectl: string;
  /** Where the JSON report, ginkgo's output and the suite's own report folder go. */
  readonly dir: string;
  /** Parallel ginkgo processes. The specs mostly wait for the cluster, so a few per core is right. */
  readonly procs: number;
  readonly excluded: readonly ListedSpec[];
  /** Aborting stops ginkgo (SIGINT, so it reports what ran) and the run fails. */
  readonly signal: AbortSignal;
  /** Called every `progressIntervalMs` while ginkgo runs, with the minutes so far. */
  readonly onProgress?: (minutes: number) => void;
}

export interface GinkgoRun {
  readonly reportFile: string;
  readonly logFile: string;
  readonly exitCode: number | null;
}

const PROGRESS_INTERVAL_MS = 60_000;

/** ginkgo's flags, then e2e.test's own after `--`. */
export function ginkgoArgs(
  options: Omit<GinkgoRunOptions, 'signal' | 'onProgress'>,
  reportFile: string,
): string[] {
  return [
    `--procs=${options.procs}`,
    '--timeout=3h',
    '--no-color',
    `--focus=${FOCUS}`,
    `--skip=${skipPattern(options.excluded)}`,
    `--json-report=${reportFile}`,
    options.binaries.e2eTest,
    '--',
    `--kubeconfig=${options.kubeconfig}`,
    '--provider=skeleton',
    `--kubectl-path=${options.kubectl}`,
    `--report-dir=${join(options.dir, 'e2e-report')}`,
    '--disable-log-dump',
  ];
}

export async function runGinkgo(options: GinkgoRunOptions): Promise<GinkgoRun> {
  const reportFile = join(options.dir, 'e2e.json');
  const logFile = join(options.dir, 'ginkgo.log');
  if (options.signal.aborted) throw new InterruptedError(logFile);
  mkdirSync(join(options.dir, 'e2e-report'), { recursive: true });
  // A report left by an earlier run in the same folder must not pass for this run's.
  rmSync(reportFile, { force: true });
  const log = createWriteStream(logFile);
  const child = spawn(options.binaries.ginkgo, ginkgoArgs(options, reportFile), {
    cwd: options.dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KUBECONFIG: options.kubeconfig },
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const started = Date.now();
  const progress = setInterval(() => {
    options.onProgress?.(Math.round((Date.now() - started) / 60_000));
  }, PROGRESS_INTERVAL_MS);
  const interrupt = () => child.kill('SIGINT');
  options.signal.addEventListener('abort', interrupt, { once: true });
  try {
    const [exitCode, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    if (options.signal.aborted) throw new InterruptedError(logFile);
    if (!existsSync(reportFile))
      throw new GinkgoRunError(
        `exited with ${signal ? `signal ${signal}` : `code ${String(exitCode)}`}`,
        logFile,
      );
    return { reportFile, logFile, exitCode };
  } finally {
    clearInterval(progress);
    options.signal.removeEventListener('abort', interrupt);
    await new Promise<void>((resolve) => log.end(resolve));
  }
}
