import { readFileSync } from 'node:fs';
import { KubeConfig, type V1ClusterRole } from '@kubernetes/client-node';
import { pino } from 'pino';
import { parse } from 'yaml';
import { Client } from '../../sdk/client/client.ts';
import { kinds } from '../../sdk/client/resource-kind.ts';
import { Manager, type ManagerOptions } from '../../sdk/manager/manager.ts';
import { startControlPlane, type ControlPlane, type ControlPlaneOptions } from '../../sdk/testing/index.ts';
import { bearerTokenKubeconfig, serviceAccountToken } from './service-account-kubeconfig.ts';

/** The ServiceAccount a manager runs as when the environment is given a ClusterRole file. */
export const OPERATOR_ACCOUNT = { namespace: 'typerator-system', name: 'operator' } as const;

/** A control plane, an admin client and a manager running in this process. */
export interface OperatorEnvironment {
  readonly plane: ControlPlane;
  /** An admin client for the test's own reads and writes. */
  readonly client: Client;
  readonly manager: Manager;
  /** Stops the manager (gracefully), the client and the control plane. */
  stop(): Promise<void>;
}

/**
 * Starts a control plane, runs `prepare` (e.g. install CRDs) with an admin client, builds a manager
 * (metrics and probes off unless asked, warn-level logs), lets `setup` register controllers, and
 * starts it.
 */
export async function startOperatorEnvironment(options: {
  readonly plane?: ControlPlaneOptions;
  readonly manager?: Omit<ManagerOptions, 'kubeConfig'>;
  readonly prepare?: (client: Client) => Promise<void>;
  readonly setup: (manager: Manager) => void | Promise<void>;
  /**
   * A generated ClusterRole (e.g. charts/typerator-operators/files/clusterrole-sla.yaml): the manager
   * then runs with a token of {@link OPERATOR_ACCOUNT} bound to it and nothing else, as in a cluster.
   */
  readonly clusterRoleFile?: string;
}): Promise<OperatorEnvironment> {
  const plane = await startControlPlane(options.plane);
  const client = await Client.fromKubeConfig(plane.kubeConfig());
  await options.prepare?.(client);
  const kubeConfig = options.clusterRoleFile
    ? await serviceAccountKubeConfig(client, plane, options.clusterRoleFile)
    : plane.kubeConfig();
  const manager = await Manager.create({
    metricsBindAddress: false,
    healthProbeBindAddress: false,
    logger: pino({ level: 'warn' }),
    ...options.manager,
    kubeConfig,
  });
  await options.setup(manager);
  const stopManager = new AbortController();
  const running = manager.start(stopManager.signal);
  return {
    plane,
    client,
    manager,
    async stop() {
      stopManager.abort();
      await running;
      client.close();
      await plane.stop();
    },
  };
}

/** Creates OPERATOR_ACCOUNT bound to the ClusterRole in `file`, and a kubeconfig with its token. */
async function serviceAccountKubeConfig(
  admin: Client,
  plane: ControlPlane,
  file: string,
): Promise<KubeConfig> {
  const role = parse(readFileSync(file, 'utf8')) as V1ClusterRole;
  const roleName = role.metadata?.name ?? '';
  await admin.resource(kinds.Namespace).create({ metadata: { name: OPERATOR_ACCOUNT.namespace } });
  await admin.resource(kinds.ClusterRole).create(role);
  await admin.resource(kinds.ClusterRoleBinding).create({
    metadata: { name: roleName },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
    subjects: [{ kind: 'ServiceAccount', ...OPERATOR_ACCOUNT }],
  });
  const token = await serviceAccountToken(admin, OPERATOR_ACCOUNT.namespace, OPERATOR_ACCOUNT.name);
  const config = new KubeConfig();
  config.loadFromString(bearerTokenKubeconfig(plane.kubeConfig(), OPERATOR_ACCOUNT.name, token));
  return config;
}
