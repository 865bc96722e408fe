import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { startControlPlane, type ControlPlaneTier } from '../testing/control-plane.ts';
import { isProcessAlive as isAlive } from '../testing/process-alive.ts';
import {
  clusterFolder,
  recordFile,
  runningCluster,
  supervisorLog,
  type ClusterRecord,
} from './cluster-state.ts';
import { createLogger } from '../logging/logger.ts';

const cliEntry = fileURLToPath(new URL('../../bin/typerator.js', import.meta.url));

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError(`expected a whole number ≥ 1, got "${value}"`);
  return parsed;
}

interface UpOptions {
  readonly name: string;
  readonly tier: ControlPlaneTier;
  readonly nodes: number;
}

function printRecord(record: ClusterRecord, verb: string): void {
  process.stdout.write(
    `cluster "${record.name}" ${verb} (tier ${record.tier}${record.tier === 'full' ? `, ${record.nodes} nodes` : ''}) at ${record.server}\n` +
      `kubeconfig: ${record.kubeconfig}\n` +
      `export KUBECONFIG=${record.kubeconfig}\n`,
  );
}

/** Starts a detached supervisor that hosts the control plane, and waits until it reports ready. */
async function clusterUp(options: UpOptions): Promise<number> {
  const existing = runningCluster(options.name);
  if (existing) {
    printRecord(existing, 'is already running');
    return 0;
  }
  const folder = clusterFolder(options.name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const log = openSync(supervisorLog(folder), 'a');
  const args = [
    cliEntry,
    'cluster',
    'serve',
    '--name',
    options.name,
    '--tier',
    options.tier,
    '--nodes',
    String(options.nodes),
  ];
  const supervisor = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log] });
  supervisor.unref();
  process.stderr.write(
    `starting cluster "${options.name}" (tier ${options.tier}); log: ${supervisorLog(folder)}\n`,
  );
  // Ctrl-C here cancels the start: the supervisor stops what it started and removes the folder.
  const cancel = (signal: NodeJS.Signals) => {
    process.stderr.write(`${signal}: cancelling the start of cluster "${options.name}"\n`);
    if (supervisor.pid !== undefined && isAlive(supervisor.pid)) process.kill(supervisor.pid, 'SIGTERM');
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  for (;;) {
    await sleep(250);
    if (existsSync(recordFile(folder))) {
      printRecord(JSON.parse(readFileSync(recordFile(folder), 'utf8')) as ClusterRecord, 'is up');
      return 0;
    }
    if (supervisor.pid === undefined || !isAlive(supervisor.pid)) {
      process.stderr.write(
        `cluster "${options.name}" failed to start:\n${readFileSync(supervisorLog(folder), 'utf8')}\n`,
      );
      return 1;
    }
  }
}

/** Runs in the foreground and hosts the control plane until SIGTERM or SIGINT. */
async function clusterServe(options: UpOptions): Promise<number> {
  const folder = clusterFolder(options.name);
  const logger = createLogger({ component: 'typerator-cluster' });
  // A signal while the components start: exit at once; the control plane's exit hook kills them.
  const cancelStart = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'start cancelled');
    rmSync(folder, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', cancelStart);
  process.once('SIGTERM', cancelStart);
  const plane = await startControlPlane({
    tier: options.tier,
    nodes: options.nodes,
    dir: join(folder, 'plane'),
    logger,
  });
  const record: ClusterRecord = {
    name: options.name,
    tier: options.tier,
    nodes: options.nodes,
    pid: process.pid,
    kubeconfig: plane.kubeconfigPath,
    server: plane.server,
  };
  writeFileSync(recordFile(folder), JSON.stringify(record, null, 2));
  process.off('SIGINT', cancelStart);
  process.off('SIGTERM', cancelStart);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  logger.info('stopping');
  await plane.stop();
  rmSync(folder, { recursive: true, force: true });
  return 0;
}

async function clusterDown(name: string): Promise<number> {
  const record = runningCluster(name);
  if (!record) {
    process.stdout.write(`no cluster named "${name}" is running\n`);
    rmSync(clusterFolder(name), { recursive: true, force: true });
    return 0;
  }
  process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + 60_000;
  while (isAlive(record.pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(record.pid)) {
    process.stderr.write(
      `cluster "${name}" did not stop within 60 s; killing its supervisor (pid ${record.pid})\n`,
    );
    process.kill(record.pid, 'SIGKILL');
  }
  process.stdout.write(`cluster "${name}" stopped\n`);
  return 0;
}

/** `typerator cluster up|down|serve`. */
export function clusterCommand(setExitCode: (code: number) => void): Command {
  const cluster = new Command('cluster').description(
    'run a local Kubernetes control plane (etcd, kube-apiserver, ...) on 127.0.0.1',
  );
  const tierOption = new Option(
    '--tier <tier>',
    'apiserver: etcd + kube-apiserver; full: also controller-manager, scheduler and kwok nodes',
  )
    .choices(['apiserver', 'full'])
    .default('apiserver');
  const addUpOptions = (command: Command) =>
    command
      .option('--name <name>', 'name of the cluster', 'default')
      .addOption(tierOption)
      .option('--nodes <n>', 'simulated kwok nodes (tier full)', positiveInteger, 3);
  addUpOptions(
    cluster.command('up').description('start a cluster in the background and print its kubeconfig'),
  ).action(async (options: UpOptions) => {
    setExitCode(await clusterUp(options));
  });
  addUpOptions(
    cluster.command('serve', { hidden: true }).description('host a cluster in the foreground'),
  ).action(async (options: UpOptions) => {
    setExitCode(await clusterServe(options));
  });
  cluster
    .command('down')
    .description('stop a cluster started with `cluster up`')
    .option('--name <name>', 'name of the cluster', 'default')
    .action(async (options: { name: string }) => {
      setExitCode(await clusterDown(options.name));
    });
  return cluster;
}
