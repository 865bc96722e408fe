// A full-tier control plane running kube-controller-manager's workload controllers, with our
// operator's controllers in this process beside them, restartable like an operator process.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import { pino } from 'pino';
import { Client } from '../../../sdk/client/client.ts';
import { kinds, type ResourceKind } from '../../../sdk/client/resource-kind.ts';
import { Manager } from '../../../sdk/manager/manager.ts';
import { startControlPlane, waitUntil, type ControlPlane } from '../../../sdk/testing/index.ts';
import { auditLogFlags } from '../audit-log-flags.ts';
import { installGeneratedCrds } from '../install-crds.ts';

export interface ParityEnvironment {
  readonly plane: ControlPlane;
  /** An admin client for the test's own reads and writes. */
  readonly client: Client;
  /** Stops our operator (gracefully) without touching the cluster. */
  stopOperator(): Promise<void>;
  /** Starts a fresh operator process-equivalent: new manager, caches, queues and expectations. */
  startOperator(): Promise<void>;
  stop(): Promise<void>;
}

/** What differs between the workloads' environments. */
export interface ParityEnvironmentOptions {
  /** Registers our controllers on a fresh manager. */
  readonly setup: (manager: Manager) => void;
  /** One of our kinds, and an object of it (no children): probes the garbage collector. */
  readonly probe: {
    readonly kind: ResourceKind;
    readonly object: (namespace: string, name: string) => KubernetesObject;
  };
}

/**
 * kube-controller-manager's garbage collector picks up newly installed CRD kinds only at its next
 * discovery resync. Until then it can neither orphan nor foreground-delete their dependents, so
 * scenarios that delete an owner would race it. Probe until an Orphan delete of one of our objects
 * really orphans a ConfigMap it owns.
 */
async function waitForGarbageCollectorToTrack(
  client: Client,
  probe: ParityEnvironmentOptions['probe'],
): Promise<void> {
  const namespace = 'gc-probe';
  await client.resource(kinds.Namespace).create({ metadata: { name: namespace } });
  const owners = client.resource(probe.kind);
  const configMaps = client.resource(kinds.ConfigMap);
  let attempt = 0;
  await waitUntil(
    async () => {
      const name = `probe-${attempt++}`;
      const owner = await owners.create(probe.object(namespace, name));
      await configMaps.create({
        metadata: {
          name,
          namespace,
          ownerReferences: [
            {
              apiVersion: owner.apiVersion ?? '',
              kind: owner.kind ?? '',
              name,
              uid: owner.metadata?.uid ?? '',
              controller: true,
            },
          ],
        },
      });
      await owners.delete({ namespace, name }, { propagationPolicy: 'Orphan' });
      // Orphaned within a few seconds if the collector tracks our kind; otherwise try again.
      return waitUntil(
        async () => {
          const dependent = await configMaps.get({ namespace, name });
          return (dependent.metadata?.ownerReferences ?? []).length === 0;
        },
        { what: 'the probe ConfigMap to be orphaned', timeoutMs: 5_000 },
      ).then(
        () => true,
        () => false,
      );
    },
    {
      what: `the garbage collector to track ${probe.kind.kind}.${probe.kind.group}`,
      timeoutMs: 120_000,
      intervalMs: 1_000,
    },
  );
}

export async function startParityEnvironment(options: ParityEnvironmentOptions): Promise<ParityEnvironment> {
  // PARITY_PLANE_DIR keeps the control plane's folder (component logs, and an audit log of every
  // write) for a failure to be read.
  const dir = process.env['PARITY_PLANE_DIR'];
  if (dir) mkdirSync(dir, { recursive: true });
  const kept = dir ? mkdtempSync(join(dir, 'plane-')) : undefined;
  const plane = await startControlPlane({
    tier: 'full',
    nodes: 3,
    ...(kept
      ? {
          dir: kept,
          apiServerArgs: auditLogFlags(kept, [
            '- level: None',
            '  verbs: [get, list, watch]',
            '- level: Metadata',
          ]).apiServerArgs,
        }
      : {}),
  });
  const client = await Client.fromKubeConfig(plane.kubeConfig());
  await installGeneratedCrds(client);
  await waitForGarbageCollectorToTrack(client, options.probe);
  let running: { stop: AbortController; done: Promise<void> } | undefined;

  async function startOperator(): Promise<void> {
    const manager = await Manager.create({
      kubeConfig: plane.kubeConfig(),
      metricsBindAddress: false,
      healthProbeBindAddress: false,
      logger: pino({ level: 'warn' }),
    });
    options.setup(manager);
    const stop = new AbortController();
    running = { stop, done: manager.start(stop.signal) };
  }
  async function stopOperator(): Promise<void> {
    running?.stop.abort();
    await running?.done;
    running = undefined;
  }

  await startOperator();
  return {
    plane,
    client,
    startOperator,
    stopOperator,
    async stop() {
      await stopOperator();
      client.close();
      await plane.stop();
    },
  };
}

/**
 * One parity environment for the enclosing `describe` block: started before its tests, stopped
 * after them. Read `env` and `client` inside the tests.
 */
export function parityEnvironmentForSuite(options: ParityEnvironmentOptions): {
  readonly env: ParityEnvironment;
  readonly client: Client;
} {
  let env: ParityEnvironment | undefined;
  before(async () => {
    env = await startParityEnvironment(options);
  });
  after(async () => {
    await env?.stop();
  });
  const started = (): ParityEnvironment => {
    if (!env) throw new Error('the parity environment starts before the tests; read it inside one');
    return env;
  };
  return {
    get env() {
      return started();
    },
    get client() {
      return started().client;
    },
  };
}
