import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitUntil } from '../../sdk/testing/index.ts';

const fixture = fileURLToPath(new URL('../fixtures/runtime/configmap-operator.ts', import.meta.url));

/** One line the fixture operator reported. */
export interface OperatorReport {
  readonly event: string;
  readonly id: string;
  readonly name?: string;
  readonly metrics?: number;
  readonly at: number;
}

/** The configmap-operator fixture running as a real child process. */
export class OperatorProcess {
  readonly reports: OperatorReport[] = [];
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr = '';

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, [fixture], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let pending = '';
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) this.reports.push(JSON.parse(line) as OperatorReport);
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  /** The metrics port, once the manager is serving. */
  async metricsPort(): Promise<number> {
    return waitUntil(() => this.reports.find((r) => r.event === 'ports')?.metrics, {
      what: 'the operator to serve metrics',
      timeoutMs: 60_000,
    });
  }

  /** Whether this process reports itself leader (leader_election_master_status 1). */
  async isLeader(port: number): Promise<boolean> {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    return /leader_election_master_status\{name="[^"]+"\} 1/.test(text);
  }

  reconciled(name: string): boolean {
    return this.reports.some((r) => r.event === 'reconcile-end' && r.name === name);
  }
}
