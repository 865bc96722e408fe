// What an operator built on Manager prints when it cannot start: one error line naming the cause
// and the fix (no stack trace), exit code 1, within seconds rather than at the 2-minute cache sync
// timeout; and a signal during start-up stops it at once. Each case runs the start-up-operator
// fixture (a Manager from the environment, then runUntilSignal) as a child process.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '../../../sdk/client/client.ts';
import { kinds } from '../../../sdk/client/resource-kind.ts';
import { CertificateAuthority } from '../../../sdk/pki/certificate-authority.ts';
import { freePort } from '../../../sdk/testing/free-port.ts';
import { startControlPlane, type ControlPlane } from '../../../sdk/testing/index.ts';
import { runProcess, type ProcessResult, type RunProcessOptions } from '../../support/run-process.ts';
import { bearerTokenKubeconfig, serviceAccountToken } from '../../support/service-account-kubeconfig.ts';

const fixture = fileURLToPath(new URL('../../fixtures/runtime/start-up-operator.ts', import.meta.url));
const cli = fileURLToPath(new URL('../../../bin/typerator.js', import.meta.url));
const NS = 'start-up-errors';
/** "No hang": far below the 120 s cache sync timeout these failures used to wait for. */
const NO_HANG_MS = 15_000;

interface Run extends ProcessResult {
  readonly elapsedMs: number;
}

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly reason?: string;
}

async function run(command: string, args: string[], options: RunProcessOptions): Promise<Run> {
  const started = Date.now();
  const result = await runProcess(command, args, { timeoutMs: 60_000, ...options });
  return { ...result, elapsedMs: Date.now() - started };
}

/** Runs the fixture operator with `env` over a quiet default: metrics on a free port, no probes. */
function runOperator(env: Record<string, string>, options: RunProcessOptions = {}): Promise<Run> {
  return run(process.execPath, [fixture], {
    ...options,
    env: {
      ...process.env,
      METRICS_BIND_ADDRESS: '127.0.0.1:0',
      HEALTH_PROBE_BIND_ADDRESS: 'off',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      ...env,
    },
  });
}

function logLines(result: ProcessResult): LogLine[] {
  return result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** Exit code 1 and exactly one error line, with `reason` and a message matching `message`, no stack. */
function assertOneLine(result: Run, reason: string, message: RegExp): void {
  const output = `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
  assert.equal(result.code, 1, `exit code\n${output}`);
  const errors = logLines(result).filter((line) => line.level >= 50);
  assert.equal(errors.length, 1, `one error line\n${output}`);
  assert.equal(errors[0]?.reason, reason, output);
  assert.match(errors[0]?.msg ?? '', message, output);
  assert.doesNotMatch(result.stdout + result.stderr, /\n\s+at /, `no stack trace\n${output}`);
  assert.ok(result.elapsedMs < NO_HANG_MS, `exited after ${result.elapsedMs} ms\n${output}`);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('start-up errors of an operator built on Manager', () => {
  let plane: ControlPlane;
  let admin: Client;
  let work: string;
  /** Accepts connections and never answers, like a firewall that drops packets after the handshake. */
  let silent: Server;
  const silentSockets: Socket[] = [];

  const kubeconfigFile = (name: string, text: string): string => {
    const path = join(work, name);
    writeFileSync(path, text);
    return path;
  };

  /** The admin kubeconfig with its server replaced. */
  const kubeconfigFor = (name: string, server: string): string =>
    kubeconfigFile(
      name,
      bearerTokenKubeconfig(plane.kubeConfig(), name, 'token').replace(plane.server, server),
    );

  /** A kubeconfig with the token of a new ServiceAccount `name` (no RBAC unless the test adds some). */
  const serviceAccountKubeconfig = async (name: string): Promise<string> =>
    kubeconfigFile(
      `${name}.kubeconfig`,
      bearerTokenKubeconfig(plane.kubeConfig(), name, await serviceAccountToken(admin, NS, name)),
    );

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'typerator-start-up-errors-'));
    plane = await startControlPlane();
    admin = await Client.fromKubeConfig(plane.kubeConfig());
    await admin.resource(kinds.Namespace).create({ metadata: { name: NS } });
    silent = createServer((socket) => silentSockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });

  after(async () => {
    for (const socket of silentSockets) socket.destroy();
    silent.close();
    admin.close();
    await plane.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('a KUBECONFIG naming a missing file', async () => {
    const missing = join(work, 'missing.kubeconfig');
    const result = await runOperator({ KUBECONFIG: missing });
    assertOneLine(
      result,
      'KubeConfigError',
      new RegExp(
        `^KUBECONFIG names ${escape(missing)}, which does not exist: set KUBECONFIG to your kubeconfig file ` +
          escape(
            '(or pass --kubeconfig); for a local cluster, run `typerator cluster up` and export the KUBECONFIG it prints',
          ),
      ),
    );
  });

  it('a kubeconfig that is not YAML', async () => {
    const garbage = kubeconfigFile('garbage.kubeconfig', 'clusters: [\n  - {server: \n\u0000');
    const result = await runOperator({ KUBECONFIG: garbage });
    assertOneLine(
      result,
      'KubeConfigError',
      new RegExp(`^kubeconfig ${escape(garbage)} is not valid YAML \\(.+\\): fix it, or set KUBECONFIG`),
    );
  });

  it('an apiserver address where nothing listens: connection refused, within seconds', async () => {
    const port = await freePort();
    const result = await runOperator({ KUBECONFIG: kubeconfigFor('refused', `https://127.0.0.1:${port}`) });
    assertOneLine(
      result,
      'ApiServerUnreachableError',
      new RegExp(
        `^cannot reach the apiserver at https://127\\.0\\.0\\.1:${port}: connection refused \\(nothing listens there\\), ` +
          escape(
            'still after 5 s; check the server in the kubeconfig and that the apiserver runs (for a local cluster: `typerator cluster up`)',
          ),
      ),
    );
  });

  it('an apiserver address that never answers: timed out after the check timeout', async () => {
    const port = (silent.address() as { port: number }).port;
    const result = await runOperator({
      KUBECONFIG: kubeconfigFor('silent', `https://127.0.0.1:${port}`),
      APISERVER_CHECK_TIMEOUT_MS: '2000',
    });
    assertOneLine(
      result,
      'ApiServerUnreachableError',
      new RegExp(
        `^cannot reach the apiserver at https://127\\.0\\.0\\.1:${port}: timed out \\(no answer within 2 s\\); check the server`,
      ),
    );
  });

  it('a kubeconfig whose CA did not sign the apiserver certificate: TLS, unknown authority', async () => {
    const otherCa = await CertificateAuthority.create('not-this-cluster');
    const adminConfig = plane.kubeConfig();
    const cluster = adminConfig.getCurrentCluster();
    assert.ok(cluster);
    const wrongCa = Buffer.from(otherCa.certPem).toString('base64');
    const text = adminConfig.exportConfig().replace(cluster.caData ?? '<no CA data>', wrongCa);
    assert.ok(text.includes(wrongCa), 'the CA was replaced');
    const result = await runOperator({ KUBECONFIG: kubeconfigFile('wrong-ca.kubeconfig', text) });
    assertOneLine(
      result,
      'ApiServerUnreachableError',
      new RegExp(
        `^cannot reach the apiserver at ${escape(plane.server)}: TLS: certificate signed by unknown authority \\([A-Z_]+\\); ` +
          "the kubeconfig's certificate-authority is not the CA that signed this apiserver's certificate: get a fresh kubeconfig",
      ),
    );
  });

  it('a token the apiserver does not accept: 401, naming the kubeconfig user and context', async () => {
    const result = await runOperator({
      KUBECONFIG: kubeconfigFile(
        'intruder.kubeconfig',
        bearerTokenKubeconfig(plane.kubeConfig(), 'intruder', 'forged'),
      ),
    });
    assertOneLine(
      result,
      'AccessDeniedError',
      new RegExp(
        `^the apiserver at ${escape(plane.server)} does not accept the credentials of kubeconfig user "intruder" ` +
          '\\(context "intruder"\\) \\(401 Unauthorized\\): the token or client certificate is missing, wrong or expired',
      ),
    );
  });

  it('credentials without RBAC for a watched kind: 403 at start-up, naming user, verb and resource', async () => {
    const result = await runOperator({ KUBECONFIG: await serviceAccountKubeconfig('nobody') });
    assertOneLine(
      result,
      'AccessDeniedError',
      new RegExp(
        '^kubeconfig user "nobody" \\(context "nobody"\\) may not list configmaps at the cluster scope ' +
          `\\(403 Forbidden: configmaps is forbidden: User "system:serviceaccount:${NS}:nobody" cannot list resource "configmaps".*\\); ` +
          escape(
            'check RBAC: apply the ClusterRole that `typerator rbac generate` writes for this operator and bind it to these credentials',
          ),
      ),
    );
  });

  it('credentials that may watch ConfigMaps but not take the leader Lease: 403, naming the Lease', async () => {
    const kubeconfig = await serviceAccountKubeconfig('lease-less');
    await admin.resource(kinds.ClusterRole).create({
      metadata: { name: 'start-up-errors-configmaps' },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
    });
    await admin.resource(kinds.ClusterRoleBinding).create({
      metadata: { name: 'start-up-errors-configmaps' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'start-up-errors-configmaps',
      },
      subjects: [{ kind: 'ServiceAccount', name: 'lease-less', namespace: NS }],
    });
    const result = await runOperator({ KUBECONFIG: kubeconfig, LEASE_NAME: 'lease-less', POD_NAMESPACE: NS });
    assertOneLine(
      result,
      'AccessDeniedError',
      new RegExp(
        `^kubeconfig user "lease-less" \\(context "lease-less"\\) may not get leases\\.coordination\\.k8s\\.io in namespace "${NS}" ` +
          `\\(403 Forbidden: leases\\.coordination\\.k8s\\.io "lease-less" is forbidden: User "system:serviceaccount:${NS}:lease-less" cannot get resource "leases".*\\); check RBAC`,
      ),
    );
  });

  it('a watched custom resource whose CRD is not installed', async () => {
    const result = await runOperator({ KUBECONFIG: plane.kubeconfigPath, WATCH_WIDGETS: '1' });
    assertOneLine(
      result,
      'UnknownKindError',
      new RegExp(
        '^' +
          escape(
            'the apiserver does not serve Widget (errors.typerator.dev/v1): install its CRD, e.g. kubectl apply -f crds/widgets.errors.typerator.dev.yaml',
          ) +
          '$',
      ),
    );
  });

  it('a metrics port already in use, naming the address and the variable that changes it', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = `127.0.0.1:${(taken.address() as { port: number }).port}`;
    try {
      const result = await runOperator({ KUBECONFIG: plane.kubeconfigPath, METRICS_BIND_ADDRESS: address });
      assertOneLine(
        result,
        'BindAddressError',
        new RegExp(
          '^' +
            escape(
              `cannot serve metrics on ${address}: the address is already in use (another process listens there); ` +
                'set METRICS_BIND_ADDRESS or --metrics-bind-address (ManagerOptions.metricsBindAddress) to a ' +
                'free host:port, or "off"',
            ),
        ),
      );
    } finally {
      taken.close();
    }
  });

  it('SIGINT while waiting for a leader lease held by another replica: exit 130 at once', async () => {
    const now = new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
    await admin.resource(kinds.Lease).create({
      metadata: { name: 'held', namespace: NS },
      spec: {
        holderIdentity: 'another-replica',
        leaseDurationSeconds: 3600,
        acquireTime: now as unknown as Date,
        renewTime: now as unknown as Date,
      },
    });
    const result = await runOperator(
      { KUBECONFIG: plane.kubeconfigPath, LEASE_NAME: 'held', POD_NAMESPACE: NS },
      { signalWhen: { output: /waiting to acquire the leader lease/, signal: 'SIGINT' } },
    );
    const output = `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
    assert.ok(result.signalledAt !== undefined, `the operator waited for the lease\n${output}`);
    assert.equal(result.code, 130, output);
    const stoppedAfterMs = Date.now() - result.signalledAt;
    assert.ok(stoppedAfterMs < 5_000, `stopped ${stoppedAfterMs} ms after SIGINT\n${output}`);
    assert.deepEqual(
      logLines(result).filter((line) => line.level >= 50),
      [],
      output,
    );
  });

  it('SIGTERM while the apiserver does not answer yet: exit 143 at once', async () => {
    const port = (silent.address() as { port: number }).port;
    const result = await runOperator(
      {
        KUBECONFIG: kubeconfigFor('sigterm', `https://127.0.0.1:${port}`),
        APISERVER_CHECK_TIMEOUT_MS: '60000',
      },
      { signalWhen: { output: /checking the apiserver/, signal: 'SIGTERM' } },
    );
    const output = `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
    assert.ok(result.signalledAt !== undefined, output);
    assert.equal(result.code, 143, output);
    const stoppedAfterMs = Date.now() - result.signalledAt;
    assert.ok(stoppedAfterMs < 5_000, `stopped ${stoppedAfterMs} ms after SIGTERM\n${output}`);
  });

  it('`typerator cluster up` with TYPERATOR_CACHE=/proc/x: the message and exit 1, not a hang', async () => {
    const result = await run(process.execPath, [cli, 'cluster', 'up'], {
      env: { ...process.env, TYPERATOR_CACHE: '/proc/x' },
      timeoutMs: 30_000,
    });
    const output = `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
    assert.equal(result.code, 1, output);
    assert.match(
      result.stderr,
      /^typerator: TYPERATOR_CACHE=\/proc\/x is not a writable folder: ENOENT: no such file or directory, mkdir '\/proc\/x'; set TYPERATOR_CACHE to a folder you can write\n$/,
    );
    assert.ok(result.elapsedMs < NO_HANG_MS, `exited after ${result.elapsedMs} ms`);
  });
});
