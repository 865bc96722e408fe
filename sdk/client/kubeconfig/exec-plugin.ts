import { spawn } from 'node:child_process';
import { systemClock, type Clock } from '../../clock/clock.ts';
import { ExecPluginError } from './exec-plugin-error.ts';
import type { ExecConfig } from './kubeconfig.ts';

const API_GROUP = 'client.authentication.k8s.io';
const SUPPORTED_VERSIONS = [`${API_GROUP}/v1`, `${API_GROUP}/v1beta1`];
/**
 * How long a plugin may take. kubectl waits forever; an operator would then hang before its first
 * request with nothing said, so a plugin still running after this is killed and named.
 */
const DEFAULT_TIMEOUT_MS = 60_000;

/** What a plugin learns about the cluster with `provideClusterInfo` (ExecCredential spec.cluster). */
export interface ExecClusterInfo {
  readonly server: string;
  readonly 'tls-server-name'?: string;
  readonly 'insecure-skip-tls-verify'?: boolean;
  /** Base64 PEM. */
  readonly 'certificate-authority-data'?: string;
  readonly 'proxy-url'?: string;
  readonly config?: unknown;
}

/** An ExecCredential's status: a bearer token, or a client certificate and key (PEM). */
export interface ExecCredentialStatus {
  readonly token?: string;
  readonly clientCertificateData?: string;
  readonly clientKeyData?: string;
  readonly expirationTimestamp?: string;
}

/**
 * Runs a kubeconfig user's exec credential plugin (client.authentication.k8s.io v1 or v1beta1) and
 * keeps its credential until status.expirationTimestamp, or until {@link invalidate} (after a
 * 401). An operator has no terminal: the plugin gets no stdin and `spec.interactive: false`, so
 * a plugin that must ask (interactiveMode Always) is refused, as kubectl refuses it without one.
 */
export class ExecPlugin {
  private readonly config: ExecConfig;
  private readonly cluster: ExecClusterInfo | undefined;
  private readonly clock: Clock;
  private readonly env: NodeJS.ProcessEnv;
  private readonly timeoutMs: number;
  private cached: { status: ExecCredentialStatus; expiresAt: number } | undefined;
  /** The run under way, shared by every caller. */
  private pending: Promise<ExecCredentialStatus> | undefined;

  constructor(
    config: ExecConfig,
    cluster: ExecClusterInfo | undefined,
    clock: Clock = systemClock,
    env: NodeJS.ProcessEnv = process.env,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    this.config = config;
    this.cluster = cluster;
    this.clock = clock;
    this.env = env;
    this.timeoutMs = timeoutMs;
  }

  /** The cached credential while it has not expired, else the plugin's fresh one. */
  credential(): Promise<ExecCredentialStatus> {
    if (this.cached && this.clock.now() < this.cached.expiresAt) return Promise.resolve(this.cached.status);
    this.pending ??= this.run().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Forgets the cached credential, e.g. one the apiserver just rejected. */
  invalidate(): void {
    this.cached = undefined;
  }

  private async run(): Promise<ExecCredentialStatus> {
    const { command, apiVersion } = this.config;
    const name = `exec plugin "${command}"`;
    if (apiVersion && !SUPPORTED_VERSIONS.includes(apiVersion))
      throw new ExecPluginError(
        `${name} has apiVersion "${apiVersion}", which is not supported: use ${SUPPORTED_VERSIONS.join(' or ')}`,
      );
    if (this.config.interactiveMode === 'Always')
      throw new ExecPluginError(
        `${name} has interactiveMode Always, but this process has no terminal to interact with: ` +
          'use a plugin (or plugin flags) that works non-interactively, with interactiveMode Never',
      );
    const info = {
      apiVersion: apiVersion || SUPPORTED_VERSIONS[0],
      kind: 'ExecCredential',
      spec: {
        interactive: false,
        ...(this.config.provideClusterInfo && this.cluster ? { cluster: this.cluster } : {}),
      },
    };
    const env: NodeJS.ProcessEnv = { ...this.env, KUBERNETES_EXEC_INFO: JSON.stringify(info) };
    for (const variable of this.config.env ?? []) env[variable.name] = variable.value;
    const { stdout, stderr, code, timedOut } = await runCommand(
      command,
      this.config.args ?? [],
      env,
      this.timeoutMs,
    ).catch((error: unknown) => {
      const { code, message } = error as NodeJS.ErrnoException;
      const hint = this.config.installHint ? `: ${this.config.installHint.trim()}` : '';
      throw new ExecPluginError(
        code === 'ENOENT'
          ? `${name} was not found (is it installed and on PATH?)${hint}`
          : `${name} could not be started: ${message}${hint}`,
        { cause: error },
      );
    });
    if (timedOut)
      throw new ExecPluginError(
        `${name} did not finish within ${this.timeoutMs / 1000} s and was stopped: ` +
          `${stderr.trim() || 'it printed nothing on stderr'} (is it waiting for input or a browser login?)`,
      );
    if (code !== 0)
      throw new ExecPluginError(
        `${name} exited with code ${code}: ${stderr.trim() || '(no output on stderr)'}`,
      );
    let credential: { apiVersion?: unknown; kind?: unknown; status?: ExecCredentialStatus };
    try {
      credential = JSON.parse(stdout) as typeof credential;
    } catch (error) {
      throw new ExecPluginError(`${name} printed no ExecCredential JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (credential.kind !== 'ExecCredential' || (apiVersion && credential.apiVersion !== apiVersion))
      throw new ExecPluginError(
        `${name} printed kind ${String(credential.kind)} ${String(credential.apiVersion)}, expected ` +
          `ExecCredential ${apiVersion || SUPPORTED_VERSIONS.join(' or ')}`,
      );
    const status = credential.status ?? {};
    const hasCertificate = Boolean(status.clientCertificateData && status.clientKeyData);
    if (!status.token && !hasCertificate)
      throw new ExecPluginError(
        `${name} returned neither status.token nor status.clientCertificateData and clientKeyData`,
      );
    const expiresAt = status.expirationTimestamp ? Date.parse(status.expirationTimestamp) : Infinity;
    if (Number.isNaN(expiresAt))
      throw new ExecPluginError(
        `${name} returned status.expirationTimestamp "${status.expirationTimestamp}", which is not an RFC 3339 time`,
      );
    this.cached = { status, expiresAt };
    return status;
  }
}

function runCommand(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ stdout: string; stderr: string; code: number | null; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, timedOut });
    });
  });
}
