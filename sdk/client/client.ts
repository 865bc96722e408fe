import type { KubernetesObject } from '@kubernetes/client-node';
import type { AnyKubeconfig } from './kubeconfig/client-node-shape.ts';
import { ResourceClient } from './resource-client.ts';
import type { ResourceKind } from './resource-kind.ts';
import { ResourceMapper } from './resource-mapper.ts';
import { Transport, type TransportOptions } from './transport.ts';

/**
 * The typed Kubernetes client: one connection pool, one discovery cache, and a `ResourceClient`
 * per kind.
 *
 * @example
 * const client = await Client.fromKubeConfig(kubeConfig);
 * const maps = client.resource(kinds.ConfigMap);
 * await maps.create({ metadata: { name: 'settings', namespace: 'default' }, data: { a: '1' } });
 */
export class Client {
  readonly transport: Transport;
  readonly mapper: ResourceMapper;
  private readonly clients = new Map<string, ResourceClient<KubernetesObject>>();

  private constructor(transport: Transport) {
    this.transport = transport;
    this.mapper = new ResourceMapper(transport);
  }

  /**
   * A client for the kubeconfig's current context (kubeconfig file, in-cluster, exec plugins...):
   * Typerator's own from readKubeconfig, or a @kubernetes/client-node KubeConfig.
   */
  static async fromKubeConfig(kubeConfig: AnyKubeconfig, options: TransportOptions = {}): Promise<Client> {
    return new Client(await Transport.create(kubeConfig, options));
  }

  /**
   * A client whose every request fails with `reason` (e.g. a kubeconfig that could not be loaded),
   * so code that only declares what it will use can run before the reason is reported.
   */
  static unusable(reason: Error, options: TransportOptions = {}): Client {
    return new Client(Transport.unusable(reason, options));
  }

  /** The client for one kind; the same instance for the same kind. */
  resource<T extends KubernetesObject>(kind: ResourceKind<T>): ResourceClient<T> {
    const key = `${kind.group}/${kind.version}/${kind.kind}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new ResourceClient<KubernetesObject>(this.transport, this.mapper, kind);
      this.clients.set(key, client);
    }
    return client as unknown as ResourceClient<T>;
  }

  /** Closes pooled connections. */
  close(): void {
    this.transport.close();
  }
}
