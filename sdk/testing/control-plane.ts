import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, KubeConfig, StorageV1Api, type V1Node } from '@kubernetes/client-node';
import { pino, type Logger } from 'pino';
import { CertificateAuthority, generateSigningKeyPair } from '../pki/certificate-authority.ts';
import { resolveBinary, type ComponentBinary } from './binaries.ts';
import { ComponentProcess } from './component-process.ts';
import { ControlPlaneStartError } from './errors.ts';
import { freePort } from './free-port.ts';
import { kwokPodStages, type KwokPodStageOptions } from './kwok-stage-variants.ts';
import { isHealthy, type ProbeTls } from './health-probe.ts';
import { adminKubeconfigYaml } from './kubeconfig.ts';
import { startK3sControlPlane } from './k3s-control-plane.ts';
import { waitUntil } from './wait-until.ts';

/**
 * `apiserver`: etcd and kube-apiserver, enough for clients, informers, CRDs and webhooks.
 * `full`: also kube-controller-manager, kube-scheduler and kwok, so pods get scheduled onto
 * simulated nodes and become Running and Ready.
 */
export type ControlPlaneTier = 'apiserver' | 'full';

/** The processes a control plane runs, by name. */
export type ComponentName = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok';

/** Options for {@link startControlPlane}. */
export interface ControlPlaneOptions {
  /**
   * `local` (default): the components as processes on this machine, from `npm run binaries`.
   * `k3s`: a whole k3s cluster in one container through @testcontainers/k3s (an optional peer
   * dependency), for machines with a Docker engine and the rancher/k3s image; pods really run.
   * k3s takes `apiServerArgs`, `controllerManagerArgs`, `dir`, `startTimeoutMs` and `logger`, and
   * refuses the kwok-only options by name.
   */
  readonly runtime?: 'local' | 'k3s';
  /** The k3s image for runtime `k3s`; default `DEFAULT_K3S_IMAGE` (`rancher/k3s:v1.34.1-k3s1`). */
  readonly k3sImage?: string;
  /** Which components to run; default `apiserver`. */
  readonly tier?: ControlPlaneTier;
  /** Simulated kwok nodes in the `full` tier; default 3. */
  readonly nodes?: number;
  /** Folder for certificates, data and logs. Default: a new temporary folder, removed by `stop()`. */
  readonly dir?: string;
  /** How long each component may take to become ready; default 120 s (`TYPERATOR_START_TIMEOUT_MS`). */
  readonly startTimeoutMs?: number;
  /** Extra kube-apiserver flags, e.g. `--etcd-compaction-interval=0`. */
  readonly apiServerArgs?: readonly string[];
  /** Extra kube-controller-manager flags (tier `full`), e.g. `--kube-api-qps=100`. */
  readonly controllerManagerArgs?: readonly string[];
  /**
   * Tier `full`: make PersistentVolumeClaims bind, as a cloud cluster's default storage does:
   * kube-controller-manager's host-path provisioner plus a default StorageClass
   * ({@link LOCAL_STORAGE_CLASS}) provisions a hostPath volume under `/tmp/hostpath_pv/` for each
   * claim. Default true; false leaves claims Pending (and pods using them unscheduled).
   */
  readonly storage?: boolean;
  /**
   * Tier `full`: opt-in changes to how kwok plays the kubelet's part for pods (unpullable images, a
   * terminal phase before a deleted pod goes); default none: the stages of `kwok-stages.ts`.
   */
  readonly podStages?: KwokPodStageOptions;
  /** Where progress is logged; default silent. */
  readonly logger?: Logger;
}

/** A running local control plane. */
export interface ControlPlane {
  readonly tier: ControlPlaneTier;
  /** The folder holding certificates, etcd data and one log file per component. */
  readonly dir: string;
  /** An admin kubeconfig (system:masters) for this control plane. */
  readonly kubeconfigPath: string;
  /** The apiserver URL, `https://127.0.0.1:<port>`. */
  readonly server: string;
  /**
   * etcd's client URL, `http://127.0.0.1:<port>` (plain HTTP on loopback), e.g. to compact it.
   * Runtime `k3s` has none: reading it throws `UnsupportedOnK3sError`.
   */
  readonly etcdUrl: string;
  /** A fresh KubeConfig loaded from {@link kubeconfigPath}. */
  kubeConfig(): KubeConfig;
  /** The live process of a component, e.g. to kill it in a failure test. */
  component(name: ComponentName): ComponentProcess | undefined;
  /** Kills a component (SIGKILL, like a crash) and starts it again on the same ports and data. */
  restart(name: ComponentName): Promise<void>;
  /** The last lines of every component's log, for a failing test to print. */
  logTails(lines?: number): string;
  /** Ends every process this control plane started and removes its temporary folder. */
  stop(): Promise<void>;
}

interface ComponentSpec {
  readonly name: ComponentName;
  readonly binary: ComponentBinary;
  readonly args: readonly string[];
  readonly isReady: () => Promise<boolean>;
}

// A sibling module: `.ts` in this repository, `.js` in the compiled package.
const reaperScript = fileURLToPath(new URL(`./orphan-reaper${extname(import.meta.url)}`, import.meta.url));
const PORT_CLASH = /address already in use/i;

function defaultStartTimeout(): number {
  const fromEnv = Number(process.env['TYPERATOR_START_TIMEOUT_MS']);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 120_000;
}

class LocalControlPlane implements ControlPlane {
  readonly tier: ControlPlaneTier;
  readonly dir: string;
  readonly kubeconfigPath: string;
  server = '';
  etcdUrl = '';
  private readonly removeDirOnStop: boolean;
  private readonly logger: Logger;
  private readonly startTimeoutMs: number;
  private readonly specs = new Map<ComponentName, ComponentSpec>();
  private readonly processes = new Map<ComponentName, ComponentProcess>();
  private readonly pidFile: string;
  private readonly onOwnerExit = () => {
    for (const process of this.processes.values()) process.kill('SIGKILL');
  };
  private stopped = false;

  private readonly options: ControlPlaneOptions;
  private readonly storage: boolean;

  constructor(options: ControlPlaneOptions) {
    this.options = options;
    this.tier = options.tier ?? 'apiserver';
    this.storage = this.tier === 'full' && options.storage !== false;
    this.removeDirOnStop = options.dir === undefined;
    this.dir = options.dir ?? mkdtempSync(join(tmpdir(), 'typerator-cp-'));
    mkdirSync(join(this.dir, 'logs'), { recursive: true });
    this.kubeconfigPath = join(this.dir, 'admin.kubeconfig');
    this.pidFile = join(this.dir, 'pids');
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.startTimeoutMs = options.startTimeoutMs ?? defaultStartTimeout();
  }

  kubeConfig(): KubeConfig {
    const config = new KubeConfig();
    config.loadFromFile(this.kubeconfigPath);
    return config;
  }

  component(name: ComponentName): ComponentProcess | undefined {
    return this.processes.get(name);
  }

  logTails(lines = 30): string {
    return [...this.processes.values()]
      .map((p) => `=== ${p.name} (${p.logFile}) ===\n${p.logTail(lines)}`)
      .join('\n');
  }

  async start(): Promise<void> {
    writeFileSync(this.pidFile, '');
    process.once('exit', this.onOwnerExit);
    this.startReaper();
    const tls = await this.writeCertificates();
    await this.defineComponents(tls);
    await this.launch('etcd');
    await this.launch('kube-apiserver');
    if (this.tier === 'full') {
      await Promise.all([
        this.launch('kube-controller-manager'),
        this.launch('kube-scheduler'),
        this.launch('kwok'),
      ]);
      await this.registerNodes(this.options.nodes ?? 3);
      if (this.storage) await this.createDefaultStorageClass();
      await this.waitForDefaultServiceAccount();
    }
    this.logger.info({ kubeconfig: this.kubeconfigPath, tier: this.tier }, 'control plane ready');
  }

  async restart(name: ComponentName): Promise<void> {
    const current = this.processes.get(name);
    current?.kill('SIGKILL');
    await current?.exited;
    await this.launch(name);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    process.removeListener('exit', this.onOwnerExit);
    if (this.storage) await this.removeProvisionedVolumes();
    // Reverse start order: etcd last, so the apiserver can shut down cleanly.
    const order: ComponentName[] = [
      'kwok',
      'kube-scheduler',
      'kube-controller-manager',
      'kube-apiserver',
      'etcd',
    ];
    for (const name of order) await this.processes.get(name)?.stop();
    rmSync(this.pidFile, { force: true });
    if (this.removeDirOnStop) rmSync(this.dir, { recursive: true, force: true });
    this.logger.info({ dir: this.dir }, 'control plane stopped');
  }

  private startReaper(): void {
    const reaper = spawn(
      process.execPath,
      [reaperScript, String(process.pid), this.pidFile, this.dir, this.removeDirOnStop ? '1' : '0'],
      { detached: true, stdio: 'ignore' },
    );
    reaper.unref();
  }

  private recordPids(): void {
    const pids = [...this.processes.values()].map((p) => p.pid).filter((pid) => pid !== undefined);
    writeFileSync(this.pidFile, pids.join('\n'));
  }

  private async writeCertificates(): Promise<{ apiServer: ProbeTls; files: Record<string, string> }> {
    const pki = join(this.dir, 'pki');
    mkdirSync(pki, { recursive: true });
    const ca = await CertificateAuthority.create('typerator-local-ca');
    const serving = await ca.issue({
      commonName: 'kube-apiserver',
      usage: 'server',
      ipAddresses: ['127.0.0.1', '10.0.0.1'],
      dnsNames: [
        'localhost',
        'kubernetes',
        'kubernetes.default',
        'kubernetes.default.svc',
        'kubernetes.default.svc.cluster.local',
      ],
    });
    const admin = await ca.issue({ commonName: 'admin', organizations: ['system:masters'], usage: 'client' });
    const serviceAccount = await generateSigningKeyPair();
    const files = {
      ca: join(pki, 'ca.crt'),
      caKey: join(pki, 'ca.key'),
      servingCert: join(pki, 'serving.crt'),
      servingKey: join(pki, 'serving.key'),
      saPub: join(pki, 'sa.pub'),
      saKey: join(pki, 'sa.key'),
    };
    writeFileSync(files.ca, ca.certPem);
    writeFileSync(files.caKey, ca.keyPem, { mode: 0o600 });
    writeFileSync(files.servingCert, serving.certPem);
    writeFileSync(files.servingKey, serving.keyPem, { mode: 0o600 });
    writeFileSync(files.saPub, serviceAccount.publicKeyPem);
    writeFileSync(files.saKey, serviceAccount.privateKeyPem, { mode: 0o600 });
    const apiServerPort = await freePort();
    this.server = `https://127.0.0.1:${apiServerPort}`;
    writeFileSync(
      this.kubeconfigPath,
      adminKubeconfigYaml({
        name: 'typerator-local',
        server: this.server,
        caPem: ca.certPem,
        clientCertPem: admin.certPem,
        clientKeyPem: admin.keyPem,
      }),
      { mode: 0o600 },
    );
    return {
      apiServer: { ca: ca.certPem, cert: admin.certPem, key: admin.keyPem },
      files: { ...files, apiServerPort: String(apiServerPort) },
    };
  }

  private async defineComponents({
    apiServer,
    files,
  }: Awaited<ReturnType<LocalControlPlane['writeCertificates']>>): Promise<void> {
    const [etcdClient, etcdPeer] = [await freePort(), await freePort()];
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    this.etcdUrl = etcdUrl;
    const apiServerPort = files['apiServerPort'];
    const file = (key: string) => files[key] ?? '';
    this.define(
      'etcd',
      'etcd',
      [
        '--name=n0',
        `--data-dir=${join(this.dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=n0=http://127.0.0.1:${etcdPeer}`,
        '--unsafe-no-fsync',
      ],
      () => isHealthy(`${etcdUrl}/health`),
    );

    const withoutControllers = this.tier === 'apiserver';
    this.define(
      'kube-apiserver',
      'kube-apiserver',
      [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${apiServerPort}`,
        '--advertise-address=127.0.0.1',
        // A loopback advertise address cannot be published as the `kubernetes` Endpoints.
        '--endpoint-reconciler-type=none',
        `--tls-cert-file=${file('servingCert')}`,
        `--tls-private-key-file=${file('servingKey')}`,
        `--client-ca-file=${file('ca')}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${file('saPub')}`,
        `--service-account-signing-key-file=${file('saKey')}`,
        '--service-cluster-ip-range=10.0.0.0/24',
        '--authorization-mode=Node,RBAC',
        '--allow-privileged=true',
        `--cert-dir=${join(this.dir, 'certs')}`,
        '--profiling=false',
        // Without a controller-manager nobody creates service accounts, so pods would be refused.
        ...(withoutControllers ? ['--disable-admission-plugins=ServiceAccount'] : []),
        ...(this.options.apiServerArgs ?? []),
      ],
      () => isHealthy(`${this.server}/readyz`, apiServer),
    );

    if (this.tier !== 'full') return;
    const kubeconfig = this.kubeconfigPath;
    const componentTls = { ca: apiServer.ca };
    const servingFlags = [
      '--bind-address=127.0.0.1',
      `--tls-cert-file=${file('servingCert')}`,
      `--tls-private-key-file=${file('servingKey')}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
    ];
    const kcmPort = await freePort();
    this.define(
      'kube-controller-manager',
      'kube-controller-manager',
      [
        `--kubeconfig=${kubeconfig}`,
        ...servingFlags,
        `--secure-port=${kcmPort}`,
        '--leader-elect=false',
        '--controllers=*',
        `--service-account-private-key-file=${file('saKey')}`,
        `--root-ca-file=${file('ca')}`,
        `--cluster-signing-cert-file=${file('ca')}`,
        `--cluster-signing-key-file=${file('caKey')}`,
        '--service-cluster-ip-range=10.0.0.0/24',
        ...(this.storage ? ['--enable-hostpath-provisioner'] : []),
        ...(this.options.controllerManagerArgs ?? []),
      ],
      () => isHealthy(`https://127.0.0.1:${kcmPort}/healthz`, componentTls),
    );

    const schedulerPort = await freePort();
    const schedulerConfig = join(this.dir, 'scheduler.yaml');
    writeFileSync(
      schedulerConfig,
      [
        'apiVersion: kubescheduler.config.k8s.io/v1',
        'kind: KubeSchedulerConfiguration',
        'clientConnection:',
        `  kubeconfig: ${JSON.stringify(kubeconfig)}`,
        'leaderElection:',
        '  leaderElect: false',
        '',
      ].join('\n'),
    );
    this.define(
      'kube-scheduler',
      'kube-scheduler',
      [`--config=${schedulerConfig}`, ...servingFlags, `--secure-port=${schedulerPort}`],
      () => isHealthy(`https://127.0.0.1:${schedulerPort}/healthz`, componentTls),
    );

    const kwokPort = await freePort();
    const kwokConfig = join(this.dir, 'kwok.yaml');
    writeFileSync(kwokConfig, kwokPodStages(this.options.podStages));
    this.define(
      'kwok',
      'kwok',
      [
        `--kubeconfig=${kubeconfig}`,
        `--config=${kwokConfig}`,
        `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
        // Without a lease duration kwok renews no Lease and the node controller marks nodes NotReady.
        '--node-lease-duration-seconds=40',
        '--cidr=10.244.0.1/16',
        '--node-ip=10.244.0.1',
        `--server-address=127.0.0.1:${kwokPort}`,
      ],
      () => isHealthy(`http://127.0.0.1:${kwokPort}/healthz`),
    );
  }

  private define(
    name: ComponentName,
    binary: ComponentBinary,
    args: readonly string[],
    isReady: () => Promise<boolean>,
  ): void {
    this.specs.set(name, { name, binary, args, isReady });
  }

  private async launch(name: ComponentName): Promise<void> {
    const spec = this.specs.get(name);
    if (!spec) throw new Error(`${name} is not part of the ${this.tier} tier`);
    const logFile = join(this.dir, 'logs', `${name}.log`);
    const component = new ComponentProcess(name, resolveBinary(spec.binary), spec.args, logFile);
    this.processes.set(name, component);
    this.recordPids();
    this.logger.info({ component: name, componentPid: component.pid, logFile }, 'starting component');
    const reason = await component.waitUntilReady(spec.isReady, {
      what: `${name} to become ready`,
      timeoutMs: this.startTimeoutMs,
      intervalMs: 250,
    });
    if (reason) throw new ControlPlaneStartError(name, reason, logFile, component.logTail());
  }

  private async registerNodes(count: number): Promise<void> {
    const core = this.kubeConfig().makeApiClient(CoreV1Api);
    const names = Array.from({ length: count }, (_, i) => `kwok-node-${i}`);
    for (const name of names) await core.createNode({ body: kwokNode(name) });
    await waitUntil(
      async () => {
        const nodes = await core.listNode();
        const ready = nodes.items.filter((n) =>
          n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        );
        return ready.length >= count;
      },
      { what: `${count} kwok nodes to become Ready`, timeoutMs: this.startTimeoutMs, intervalMs: 250 },
    ).catch((error: unknown) => {
      const kwok = this.processes.get('kwok');
      throw new ControlPlaneStartError('kwok', String(error), kwok?.logFile ?? '', kwok?.logTail() ?? '');
    });
  }

  private async createDefaultStorageClass(): Promise<void> {
    const storage = this.kubeConfig().makeApiClient(StorageV1Api);
    await storage.createStorageClass({
      body: {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: {
          name: LOCAL_STORAGE_CLASS,
          annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
        },
        provisioner: 'kubernetes.io/host-path',
        // Delete, so a claim the StatefulSet retention policy removes takes its volume with it.
        reclaimPolicy: 'Delete',
        volumeBindingMode: 'Immediate',
      },
    });
  }

  /**
   * The host-path provisioner's folders outlive the control plane (they are on this machine's
   * /tmp): remove those of the volumes still present. Best effort; a stopped apiserver has none to tell.
   */
  private async removeProvisionedVolumes(): Promise<void> {
    try {
      const core = this.kubeConfig().makeApiClient(CoreV1Api);
      const volumes = await core.listPersistentVolume();
      for (const volume of volumes.items) {
        const path = volume.spec?.hostPath?.path;
        if (path?.startsWith(`${HOSTPATH_PROVISIONER_ROOT}/`)) rmSync(path, { recursive: true, force: true });
      }
    } catch (error) {
      this.logger.debug({ err: error }, 'could not list provisioned volumes to remove their folders');
    }
  }

  private async waitForDefaultServiceAccount(): Promise<void> {
    const core = this.kubeConfig().makeApiClient(CoreV1Api);
    await waitUntil(
      () => core.readNamespacedServiceAccount({ name: 'default', namespace: 'default' }).then(() => true),
      {
        what: 'the default service account',
        timeoutMs: this.startTimeoutMs,
      },
    ).catch((error: unknown) => {
      const kcm = this.processes.get('kube-controller-manager');
      throw new ControlPlaneStartError(
        'kube-controller-manager',
        String(error),
        kcm?.logFile ?? '',
        kcm?.logTail() ?? '',
      );
    });
  }
}

const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

/** The default StorageClass of a `full`-tier control plane with storage (see {@link ControlPlaneOptions.storage}). */
export const LOCAL_STORAGE_CLASS = 'local-hostpath';

/** Where kube-controller-manager's host-path provisioner makes its folders (fixed upstream). */
const HOSTPATH_PROVISIONER_ROOT = '/tmp/hostpath_pv';

/**
 * A node that kwok simulates (its pods get scheduled, run and turn Ready), with extra labels; the
 * full tier registers `nodes` of these, and tests can add more, e.g. for a nodeSelector.
 */
export function kwokNode(name: string, labels: Readonly<Record<string, string>> = {}): V1Node {
  const resources = { cpu: '32', memory: '256Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [KWOK_NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        type: 'kwok',
        ...labels,
      },
    },
    status: { allocatable: resources, capacity: resources },
  };
}

/**
 * Starts a local Kubernetes control plane as processes on 127.0.0.1, on free ports, and resolves
 * once it is ready. Several can run at once. Call `stop()` when done.
 *
 * @example
 * const plane = await startControlPlane({ tier: 'full', nodes: 2 });
 * try { const kc = plane.kubeConfig(); ... } finally { await plane.stop(); }
 */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  if (options.runtime === 'k3s') return startK3sControlPlane(options);
  const attempts = 3;
  for (let attempt = 1; ; attempt++) {
    const plane = new LocalControlPlane(options);
    try {
      await plane.start();
      return plane;
    } catch (error) {
      await plane.stop();
      // A port that was free when chosen can be taken before the component binds it: try new ports.
      const clash = error instanceof ControlPlaneStartError && PORT_CLASH.test(error.logTail);
      if (!clash || attempt >= attempts) throw error;
      options.logger?.warn(
        { component: error.component, attempt },
        'port taken before bind; retrying with new ports',
      );
    }
  }
}
