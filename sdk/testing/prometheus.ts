import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveBinary } from './binaries.ts';
import { ComponentProcess } from './component-process.ts';
import { PrometheusStartError } from './errors.ts';
import { freePort } from './free-port.ts';
import { isHealthy } from './health-probe.ts';

/** One endpoint Prometheus scrapes, with the target labels its series get (e.g. `app`). */
export interface ScrapeTarget {
  /** `host:port`, e.g. `127.0.0.1:41234`. */
  readonly address: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** Options for {@link startPrometheus}. */
export interface PrometheusOptions {
  /** What to scrape at first; {@link PrometheusServer.setTargets} changes it later. */
  readonly targets?: readonly ScrapeTarget[];
  /** Default 1000 ms: tests compress time, so a rate over 10 s already has ten samples. */
  readonly scrapeIntervalMs?: number;
  /** Rule evaluation interval; defaults to the scrape interval. */
  readonly evaluationIntervalMs?: number;
  /** The `job` label of every scraped series; default `test`. */
  readonly jobName?: string;
  /** Default 60 s; a cold TSDB is ready in about a second. */
  readonly startTimeoutMs?: number;
  /**
   * file_sd's re-read interval; default 1000 ms. It also watches the file, and each re-read counts
   * as an update, which keeps Prometheus's discovery throttle at its 5 s maximum: a long interval
   * (30 s) made setTargets() take effect in about 2 s on average instead of about 4 s.
   */
  readonly refreshIntervalMs?: number;
  /** Extra command-line flags, e.g. `--query.lookback-delta=30s`. */
  readonly args?: readonly string[];
}

/** A real Prometheus server on 127.0.0.1, owned by a test. */
export interface PrometheusServer {
  /** `http://127.0.0.1:<port>`, the base of `/api/v1/query`. It keeps its port across restarts. */
  readonly url: string;
  readonly port: number;
  /** Holds the configuration, the targets file, the TSDB and the log; removed by `stop()`. */
  readonly dir: string;
  readonly logFile: string;
  /** False after `kill()` or `stop()`, or if the process died on its own. */
  readonly running: boolean;
  /** Replaces the scrape targets; Prometheus picks them up within about a second (file_sd). */
  setTargets(targets: readonly ScrapeTarget[]): void;
  /**
   * Ends the process abruptly (SIGKILL by default), as a crash would, and keeps the folder and the
   * port, so "Prometheus is gone" can be tested and `restart()` brings it back with its data.
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Freezes the process (SIGSTOP): connections are accepted by the kernel but never answered. */
  pause(): void;
  /** Undoes `pause()`. */
  resume(): void;
  /** Starts it again on the same port and data after `kill()`; waits for /-/ready. */
  restart(): Promise<void>;
  /** Ends the process and removes its folder. Idempotent. */
  stop(): Promise<void>;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const ADDRESS = /^[^\s/:]+:\d{1,5}$|^\[[0-9a-fA-F:.]+\]:\d{1,5}$/;
const PORT_CLASH = /address already in use/i;
// A sibling module: `.ts` in this repository, `.js` in the compiled package.
const reaperScript = fileURLToPath(new URL(`./orphan-reaper${extname(import.meta.url)}`, import.meta.url));

function assertTargets(targets: readonly ScrapeTarget[]): void {
  for (const target of targets) {
    if (!ADDRESS.test(target.address)) {
      throw new TypeError(`scrape target address ${JSON.stringify(target.address)} is not host:port`);
    }
    for (const name of Object.keys(target.labels ?? {})) {
      // Names starting with __ are Prometheus's own (e.g. __address__), not target labels.
      if (!LABEL_NAME.test(name) || name.startsWith('__')) {
        throw new TypeError(
          `scrape target label name ${JSON.stringify(name)} is not a valid Prometheus label name`,
        );
      }
    }
  }
}

function duration(ms: number, what: string): string {
  if (!Number.isInteger(ms) || ms <= 0)
    throw new TypeError(`${what} must be a positive whole number of ms, got ${ms}`);
  return `${ms}ms`;
}

class LocalPrometheus implements PrometheusServer {
  readonly dir: string;
  readonly logFile: string;
  port = 0;
  private readonly binary: string;
  private readonly configFile: string;
  private readonly targetsFile: string;
  private readonly pidFile: string;
  private readonly options: PrometheusOptions;
  private process: ComponentProcess | undefined;
  private stopped = false;
  private readonly onOwnerExit = () => {
    this.process?.kill('SIGCONT');
    this.process?.kill('SIGKILL');
  };

  constructor(binary: string, options: PrometheusOptions) {
    this.binary = binary;
    this.options = options;
    this.dir = mkdtempSync(join(tmpdir(), 'typerator-prometheus-'));
    this.logFile = join(this.dir, 'prometheus.log');
    this.configFile = join(this.dir, 'prometheus.yml');
    // A folder of its own: Prometheus watches the folder, and every write to the log beside it
    // would count as a change of targets (see the refresh interval below).
    this.targetsFile = join(this.dir, 'sd', 'targets.json');
    mkdirSync(join(this.dir, 'sd'));
    this.pidFile = join(this.dir, 'pids');
    mkdirSync(join(this.dir, 'data'));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  async start(): Promise<void> {
    const scrape = duration(this.options.scrapeIntervalMs ?? 1_000, 'scrapeIntervalMs');
    const evaluation = duration(
      this.options.evaluationIntervalMs ?? this.options.scrapeIntervalMs ?? 1_000,
      'evaluationIntervalMs',
    );
    // JSON is YAML: no YAML writer needed. The timeout may not exceed the interval, and the
    // default (10 s) would with a 1 s interval.
    const config = {
      global: { scrape_interval: scrape, scrape_timeout: scrape, evaluation_interval: evaluation },
      scrape_configs: [
        {
          job_name: this.options.jobName ?? 'test',
          file_sd_configs: [
            { files: [this.targetsFile], refresh_interval: `${this.options.refreshIntervalMs ?? 1000}ms` },
          ],
        },
      ],
    };
    writeFileSync(this.configFile, JSON.stringify(config, null, 2));
    this.setTargets(this.options.targets ?? []);
    writeFileSync(this.pidFile, '');
    process.once('exit', this.onOwnerExit);
    this.startReaper();
    // Another process may take the free port before Prometheus binds it: try a new one then.
    for (let attempt = 1; ; attempt++) {
      this.port = await freePort();
      try {
        await this.launch();
        return;
      } catch (error) {
        const clash = error instanceof PrometheusStartError && PORT_CLASH.test(error.logTail);
        if (!clash || attempt >= 3) throw error;
      }
    }
  }

  setTargets(targets: readonly ScrapeTarget[]): void {
    assertTargets(targets);
    const groups = targets.map((t) => ({ targets: [t.address], labels: { ...t.labels } }));
    // Written beside and renamed over, so Prometheus never reads a half-written file.
    const partial = `${this.targetsFile}.tmp`;
    writeFileSync(partial, JSON.stringify(groups, null, 2));
    renameSync(partial, this.targetsFile);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const current = this.process;
    if (!current?.running) return;
    current.kill('SIGCONT');
    current.kill(signal);
    await current.exited;
  }

  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  async restart(): Promise<void> {
    if (this.stopped) throw new Error('this Prometheus was stopped (its folder is gone); start a new one');
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    process.removeListener('exit', this.onOwnerExit);
    this.process?.kill('SIGCONT');
    await this.process?.stop(5_000);
    rmSync(this.pidFile, { force: true });
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const args = [
      `--config.file=${this.configFile}`,
      `--storage.tsdb.path=${join(this.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${this.port}`,
      // Hidden flag: the scrape manager applies discovered targets at most this often (5 s by
      // default), which would delay the first scrape and every setTargets().
      '--scrape.discovery-reload-interval=1s',
      ...(this.options.args ?? []),
    ];
    const component = new ComponentProcess('prometheus', this.binary, args, this.logFile);
    this.process = component;
    writeFileSync(this.pidFile, String(component.pid ?? ''));
    const timeoutMs = this.options.startTimeoutMs ?? 60_000;
    const reason = await component.waitUntilReady(() => isHealthy(`${this.url}/-/ready`), {
      what: 'prometheus /-/ready',
      timeoutMs,
      intervalMs: 100,
    });
    if (reason) {
      await component.stop(1_000);
      throw new PrometheusStartError(reason, this.logFile, component.logTail());
    }
  }

  // The control plane's watchdog: if the test process dies without stop(), it ends Prometheus and
  // removes the folder.
  private startReaper(): void {
    const reaper = spawn(process.execPath, [reaperScript, String(process.pid), this.pidFile, this.dir, '1'], {
      detached: true,
      stdio: 'ignore',
    });
    reaper.unref();
  }
}

/**
 * Starts the real Prometheus server (`scripts/build-binaries.sh` builds it; `TEST_ASSET_PROMETHEUS`
 * points at another) on a free loopback port, with its own data folder, scraping `targets` through
 * a file_sd targets file, and waits until /-/ready answers. A BinaryNotFoundError says what to run
 * when the binary is missing; a PrometheusStartError carries the log when it does not come up.
 *
 * @example
 * const prometheus = await startPrometheus({ targets: [{ address: demo.address, labels: { app: 'web' } }] });
 * await fetch(`${prometheus.url}/api/v1/query?query=up`);
 * await prometheus.stop();
 */
export async function startPrometheus(options: PrometheusOptions = {}): Promise<PrometheusServer> {
  assertTargets(options.targets ?? []);
  const server = new LocalPrometheus(resolveBinary('prometheus'), options);
  try {
    await server.start();
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}
