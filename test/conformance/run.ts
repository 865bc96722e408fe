// `npm run conformance [-- --controllers typerator|built-in|none] [--procs N] [--dir DIR]`: runs the
// upstream Kubernetes e2e suite's [sig-apps] Deployment, ReplicaSet and StatefulSet specs against a
// local full-tier cluster and judges whoever reconciles the apps/v1 workloads there. Prints one line
// per spec and `N passed, M failed`; exits 0 when the bar is met, 1 when it is not, 2 when the run
// could not happen (no Go to build e2e.test, a cluster that does not start, ...).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ensureBinaries, resolveBinary, type ControlPlane } from '../../sdk/testing/index.ts';
import { startConformanceCluster } from './conformance-cluster.ts';
import {
  CONTROLLERS_MODES,
  describeMode,
  isControllersMode,
  type ControllersMode,
} from './controllers-mode.ts';
import { ensureE2eBinaries } from './e2e-binaries.ts';
import { readGinkgoReport } from './ginkgo-report.ts';
import { startDropInOperator, type OperatorProcess } from './operator-process.ts';
import { runGinkgo } from './run-ginkgo.ts';
import { loadSpecList, SPEC_LIST_FILE } from './spec-list.ts';
import { judge } from './verdict.ts';

/** The specs mostly wait for the cluster, so several processes per core keep 2 cores busy. */
const DEFAULT_PROCS = 6;
/**
 * In the control run every judged spec waits out its own timeouts (up to 20 min) for objects no
 * controller makes, using next to no CPU: one process per spec makes the run last as long as the
 * longest timeout instead of their sum over 6 processes (67 min).
 */
const CONTROL_RUN_PROCS = 36;

const USAGE = `usage: npm run conformance -- [--controllers ${CONTROLLERS_MODES.join('|')}] [--procs N] [--dir DIR]

  --controllers  who reconciles apps/v1 Deployments, ReplicaSets and StatefulSets (default typerator):
                 typerator  our operators in drop-in mode, kube-controller-manager's own disabled
                 built-in   kube-controller-manager's own controllers (the reference run)
                 none       nobody (the control run: every judged spec must fail)
  --procs        parallel ginkgo processes (default ${DEFAULT_PROCS}; ${CONTROL_RUN_PROCS} for --controllers none)
  --dir          folder for the logs and reports (default: a new folder under ${tmpdir()}), kept`;

interface Settings {
  readonly mode: ControllersMode;
  readonly procs: number;
  readonly dir: string;
}

function usageError(message: string): never {
  process.stderr.write(`conformance: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseSettings(argv: readonly string[]): Settings {
  let values: { controllers?: string; procs?: string; dir?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        controllers: { type: 'string' },
        procs: { type: 'string' },
        dir: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const mode = values.controllers ?? 'typerator';
  if (!isControllersMode(mode))
    usageError(`--controllers ${mode}: expected one of ${CONTROLLERS_MODES.join(', ')}`);
  const procs =
    values.procs === undefined ? (mode === 'none' ? CONTROL_RUN_PROCS : DEFAULT_PROCS) : Number(values.procs);
  if (!Number.isInteger(procs) || procs < 1)
    usageError(`--procs ${values.procs ?? ''}: expected a positive integer`);
  const dir = values.dir ? resolve(values.dir) : mkdtempSync(join(tmpdir(), 'typerator-conformance-'));
  mkdirSync(dir, { recursive: true });
  return { mode, procs, dir };
}

function progress(message: string): void {
  process.stderr.write(`[conformance] ${message}\n`);
}

async function main(): Promise<number> {
  const settings = parseSettings(process.argv.slice(2));
  const list = loadSpecList();
  const interrupted = new AbortController();
  const onSignal = () => {
    progress('interrupted: stopping ginkgo, the operator and the cluster');
    interrupted.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  progress(`controllers: ${describeMode(settings.mode)}`);
  progress(`logs and reports: ${settings.dir}`);
  ensureBinaries();
  const binaries = await ensureE2eBinaries();

  let plane: ControlPlane | undefined;
  let operator: OperatorProcess | undefined;
  let operatorEnded: string | undefined;
  let run: Awaited<ReturnType<typeof runGinkgo>>;
  try {
    progress('starting a full-tier cluster');
    plane = await startConformanceCluster({
      mode: settings.mode,
      dir: join(settings.dir, 'cluster'),
      logger: pino({ level: 'warn' }, pino.destination(2)),
    });
    if (settings.mode === 'typerator') {
      progress('starting the drop-in operator');
      operator = await startDropInOperator(plane.kubeconfigPath, join(settings.dir, 'typerator.log'));
    }
    progress(
      `running the suite with ${settings.procs} ginkgo processes (${list.excluded.length} specs excluded, see ${SPEC_LIST_FILE}); output in ${join(settings.dir, 'ginkgo.log')}`,
    );
    run = await runGinkgo({
      binaries,
      kubeconfig: plane.kubeconfigPath,
      kubectl: resolveBinary('kubectl'),
      dir: settings.dir,
      procs: settings.procs,
      excluded: list.excluded,
      signal: interrupted.signal,
      onProgress: (minutes) => {
        progress(`still running (${minutes} min)`);
      },
    });
    operatorEnded = operator?.endedEarly();
  } finally {
    await operator?.stop();
    if (plane) {
      await plane.stop();
      // The cluster's logs stay for a look at failures; its etcd data is of no use after the run.
      rmSync(join(plane.dir, 'etcd'), { recursive: true, force: true });
    }
  }

  const verdict = judge(readGinkgoReport(run.reportFile), list, settings.mode);
  for (const line of verdict.lines) process.stdout.write(`${line}\n`);
  process.stdout.write('\n');
  for (const line of verdict.summary) process.stdout.write(`${line}\n`);
  if (operatorEnded) {
    process.stdout.write(
      `the drop-in operator ${operatorEnded} during the run; its log is ${operator?.logFile ?? ''}\n`,
    );
    return 1;
  }
  process.stdout.write(`report: ${run.reportFile}, ginkgo output: ${run.logFile}\n`);
  return verdict.ok ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`conformance: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
