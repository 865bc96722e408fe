import { pino } from 'pino';
import { Client } from '../../sdk/client/client.ts';
import { Manager, type ManagerOptions } from '../../sdk/manager/manager.ts';
import { startControlPlane, type ControlPlane, type ControlPlaneOptions } from '../../sdk/testing/index.ts';

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
}): Promise<OperatorEnvironment> {
  const plane = await startControlPlane(options.plane);
  const client = await Client.fromKubeConfig(plane.kubeConfig());
  await options.prepare?.(client);
  const manager = await Manager.create({
    metricsBindAddress: false,
    healthProbeBindAddress: false,
    logger: pino({ level: 'warn' }),
    ...options.manager,
    kubeConfig: plane.kubeConfig(),
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
