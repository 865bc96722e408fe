// One reconcile run of the peers benchmarks (peers.bench.ts, scale-curve.bench.ts): a minimal
// operator on Typerator's Manager or on controller-runtime (Go), in a process of its own on a fresh
// control plane, reconciling BenchItems until every one is ready.
//
// Both reconcile BenchItems (bench.typerator.dev/v1) identically: read the item from the cache,
// server-side-apply a ConfigMap with a controller reference to it, merge-patch its status to
// {ready: true, observedGeneration} (test/bench/peers/typerator-peer.ts and
// test/bench/peers/controller-runtime/main.go), and both caches drop managedFields (Typerator's
// default; a cache transform on the Go side). Per run: a fresh apiserver-tier control plane, the
// CRD, `count` items created while no operator runs, then the operator starts and the harness watches
// the items until every one reports status.ready. Measured:
//   - seconds from spawning the operator until the last item is ready (as the harness's watch sees it);
//   - the operator's CPU time (user + system) from /proc/<pid>/stat at that moment, and over its
//     whole life as the process reports it on exit (getrusage), after a SIGTERM 1 s later;
//   - its peak RSS (VmHWM from /proc/<pid>/status) at that moment;
//   - its API requests, from the apiserver's audit log by user agent.
// The harness's watch runs in the harness process, so its CPU is not the operator's (it shares the
// machine, as the apiserver and etcd do, equally for both sides).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { startControlPlane, waitUntil } from '../../../sdk/testing/index.ts';
import { auditLogFlags } from '../../support/audit-log-flags.ts';
import { auditEvents, countBy, requestTarget, total, type AuditEvent } from '../audit-log.ts';
import { benchItemKind } from './bench-item.ts';
import { installBenchItemCrd } from './install-bench-item-crd.ts';
import { compiledPeer } from './compiled.ts';
import { inParallel, tail, type Side } from './peer-process.ts';
import { cpuSecondsOf, memoryKiBOf } from './process-stats.ts';
import { OPERATOR_NODE_FLAGS } from '../../../sdk/runner/operator-node-flags.ts';

export const NAMESPACE = 'bench';
/** How long one run may take by default from spawning the operator until every item is ready. */
export const READY_TIMEOUT_MS = 15 * 60_000;

/** The Typerator peer as it ships, compiled to JavaScript; compiled on first need, not on import. */
const typeratorPeer = (): string => compiledPeer(new URL('typerator-peer.ts', import.meta.url));

/** The user agent each side's client sends, which the audit log records. */
const userAgentOf = (side: Side): string =>
  side === 'typerator' ? 'typerator-peer' : 'controller-runtime-peer';

/** What each peer writes to its usage file on exit (getrusage over its whole life). */
interface Usage {
  readonly userMs: number;
  readonly systemMs: number;
  readonly maxRssKiB: number;
}

export interface Run {
  readonly side: Side;
  readonly concurrency: number;
  readonly trial: number;
  /** How many BenchItems the run reconciled. */
  readonly count: number;
  readonly seconds: number;
  /** From spawning the operator until the apiserver received its first request. */
  readonly startUpSeconds: number;
  readonly cpuAtReady: number;
  /** The system (kernel) part of cpuAtReady. */
  readonly systemCpuAtReady: number;
  readonly cpuAtExit: number;
  readonly peakRssMiB: number;
  /** The anonymous part of the RSS at ready (heaps, stacks; not the executable's file pages). */
  readonly anonRssMiB: number;
  readonly requests: Map<string, number>;
}

/** What the harness reads when the last item turns ready. */
interface Measured {
  readonly seconds: number;
  readonly cpu: { user: number; system: number };
  readonly peakRssMiB: number;
  readonly anonRssMiB: number;
}

/** The side's requests, by `verb resource[/subresource]` (or `verb <path>` for discovery). */
function countRequests(events: readonly AuditEvent[], side: Side): Map<string, number> {
  const requests = events.filter(
    (event) => event.stage === 'ResponseComplete' && (event.userAgent ?? '').startsWith(userAgentOf(side)),
  );
  return countBy(requests, (event) => {
    const code = event.responseStatus?.code ?? 0;
    return `${event.verb ?? '?'} ${requestTarget(event)}${code >= 300 ? ` (${code})` : ''}`;
  });
}

/** When the apiserver received the side's first request (ms since the epoch), from the audit log. */
function firstRequestAt(events: readonly AuditEvent[], side: Side): number {
  let first = Infinity;
  for (const event of events)
    if ((event.userAgent ?? '').startsWith(userAgentOf(side)))
      first = Math.min(first, Date.parse(event.requestReceivedTimestamp ?? ''));
  return first;
}

export interface RunOptions {
  readonly side: Side;
  readonly concurrency: number;
  readonly trial: number;
  /** The Go peer's binary (buildGoPeer). */
  readonly goPeer: string;
  /** How many BenchItems to create and reconcile. */
  readonly count: number;
  /** Writes a V8 CPU profile of a Typerator run into this folder. */
  readonly cpuProfileDir?: string | undefined;
  /** Default READY_TIMEOUT_MS. */
  readonly readyTimeoutMs?: number | undefined;
}

export async function runOnce(options: RunOptions): Promise<Run> {
  const { side, concurrency, trial, goPeer, count, cpuProfileDir } = options;
  const readyTimeoutMs = options.readyTimeoutMs ?? READY_TIMEOUT_MS;
  // Before the control plane starts, so a first compile never counts against a run.
  const typeratorScript = side === 'typerator' ? typeratorPeer() : '';
  const folder = mkdtempSync(join(tmpdir(), 'typerator-peers-bench-'));
  const { auditLog, apiServerArgs } = auditLogFlags(folder, ['- level: Metadata']);
  const operatorLog = join(folder, 'operator.log');
  const usageFile = join(folder, 'usage.json');
  const plane = await startControlPlane({
    apiServerArgs,
  });
  // A user agent of its own, so the harness's requests never count as the operator's.
  const client = await Client.fromKubeConfig(plane.kubeConfig(), { userAgent: 'peers-bench-harness' });
  let subscription: { unsubscribe(): void } | undefined;
  let child: ReturnType<typeof spawn> | undefined;
  try {
    await installBenchItemCrd(client);
    client.mapper.invalidate();
    await client.resource(kinds.Namespace).create({ metadata: { name: NAMESPACE } });
    const items = client.resource(benchItemKind);
    await waitUntil(() => items.list({ namespace: NAMESPACE, limit: 1 }).then(() => true), {
      what: 'BenchItems to be served',
      timeoutMs: 30_000,
    });
    const names = Array.from({ length: count }, (_, i) => `item-${String(i).padStart(5, '0')}`);
    await inParallel(names, 16, (name) =>
      items.create({
        apiVersion: 'bench.typerator.dev/v1',
        kind: 'BenchItem',
        metadata: { name, namespace: NAMESPACE },
        spec: { value: `value of ${name}` },
      }),
    );
    const { resourceVersion } = await items.list({ namespace: NAMESPACE, limit: 1 });

    const output = openSync(operatorLog, 'w');
    const started = performance.now();
    const spawnedAt = Date.now();
    child =
      side === 'typerator'
        ? spawn(
            process.execPath,
            [
              ...OPERATOR_NODE_FLAGS,
              ...(cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : []),
              typeratorScript,
              `--concurrency=${concurrency}`,
              `--usage-file=${usageFile}`,
            ],
            { env: { ...process.env, KUBECONFIG: plane.kubeconfigPath }, stdio: ['ignore', output, output] },
          )
        : spawn(goPeer, ['reconcile', `--concurrency=${concurrency}`, `--usage-file=${usageFile}`], {
            env: { ...process.env, KUBECONFIG: plane.kubeconfigPath },
            stdio: ['ignore', output, output],
          });
    closeSync(output);
    const operator = child;
    const pid = operator.pid ?? 0;
    const exited = new Promise<number | null>((resolve) => operator.once('exit', (code) => resolve(code)));

    // Every item ready: read the operator's CPU time and peak RSS right there, in the watch callback.
    const ready = new Set<string>();
    const allReady = new Promise<Measured>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${ready.size} of ${count} items ready after ${readyTimeoutMs} ms`)),
        readyTimeoutMs,
      );
      void exited.then((code) => {
        reject(new Error(`the ${side} operator exited (code ${code}) with ${ready.size} of ${count} ready`));
      });
      subscription = items.watch({ namespace: NAMESPACE, resourceVersion }).subscribe({
        next: ({ type, object }) => {
          const name = object.metadata?.name;
          if (type === 'BOOKMARK' || !name || !object.status?.ready || ready.has(name)) return;
          ready.add(name);
          if (ready.size < count) return;
          const seconds = (performance.now() - started) / 1000;
          const memory = memoryKiBOf(pid);
          const measured = {
            seconds,
            cpu: cpuSecondsOf(pid),
            peakRssMiB: memory.hwmKiB / 1024,
            anonRssMiB: memory.anonKiB / 1024,
          };
          clearTimeout(timer);
          resolve(measured);
        },
        error: (error: unknown) => {
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      });
    });
    let atReady: Measured;
    try {
      atReady = await allReady;
    } catch (error) {
      console.error(`${side} operator log (last lines):\n${tail(operatorLog, 30)}`);
      throw error;
    }
    subscription?.unsubscribe();
    // Let trailing work settle, then stop the operator and read what it reports about its life.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    operator.kill('SIGTERM');
    const code = await exited;
    if (code !== 0 || !existsSync(usageFile)) {
      console.error(`${side} operator log (last lines):\n${tail(operatorLog, 30)}`);
      throw new Error(
        `the ${side} operator exited with code ${code} and ${existsSync(usageFile) ? 'a' : 'no'} usage report`,
      );
    }
    const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as Usage;
    // The apiserver logs a watch when it ends, which it notices just after the operator exits.
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Parsed once: with tens of thousands of items the log runs to hundreds of MiB.
    const events = auditEvents(auditLog);
    const requests = countRequests(events, side);
    const startUpSeconds = (firstRequestAt(events, side) - spawnedAt) / 1000;
    const run: Run = {
      side,
      concurrency,
      trial,
      count,
      seconds: atReady.seconds,
      startUpSeconds,
      cpuAtReady: atReady.cpu.user + atReady.cpu.system,
      systemCpuAtReady: atReady.cpu.system,
      cpuAtExit: (usage.userMs + usage.systemMs) / 1000,
      peakRssMiB: atReady.peakRssMiB,
      anonRssMiB: atReady.anonRssMiB,
      requests,
    };
    console.error(
      `  trial ${trial}, ${side}, ${concurrency} worker(s): ${run.seconds.toFixed(2)} s (first request after ${run.startUpSeconds.toFixed(2)} s), CPU ${run.cpuAtReady.toFixed(2)} s (system ${run.systemCpuAtReady.toFixed(2)} s; ${run.cpuAtExit.toFixed(2)} s at exit), peak RSS ${run.peakRssMiB.toFixed(0)} MiB (anonymous ${run.anonRssMiB.toFixed(0)} MiB at ready), ${total(requests)} requests`,
    );
    return run;
  } finally {
    subscription?.unsubscribe();
    if (child && child.exitCode === null && child.signalCode === null) {
      const operator = child;
      const gone = new Promise((resolve) => operator.once('exit', resolve));
      operator.kill('SIGKILL');
      await gone;
    }
    client.close();
    await plane.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}
