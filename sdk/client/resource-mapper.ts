import { SetupError } from '../errors/setup-error.ts';
import { NotFoundError } from './errors.ts';
import { apiVersionOf, type ResourceKind } from './resource-kind.ts';
import type { Transport } from './transport.ts';

/** Where a kind lives in the REST API, from discovery. */
export interface ResourceInfo {
  /** e.g. `/apis/apps/v1` or `/api/v1`. */
  readonly basePath: string;
  /** Plural resource name, e.g. `deployments`. */
  readonly plural: string;
  readonly namespaced: boolean;
  /** Subresources served, e.g. `status`, `scale`. */
  readonly subresources: ReadonlySet<string>;
}

/**
 * The apiserver does not serve the kind (yet): unknown group/version or kind, typically a custom
 * resource whose CRD is not installed. The message says how to install it.
 */
export class UnknownKindError extends SetupError {
  override readonly name = 'UnknownKindError';
  readonly kind: ResourceKind;
  /** What discovery found, e.g. `no kind Widget in example.dev/v1`. */
  readonly detail: string;
  constructor(kind: ResourceKind, detail: string) {
    // Custom resources live in dotted groups; `typerator crd generate` names their files <plural>.<group>.yaml.
    const remedy = kind.group.includes('.')
      ? `install its CRD, e.g. kubectl apply -f crds/${kind.plural ?? '<plural>'}.${kind.group}.yaml`
      : `${detail}; check the apiVersion and kind against \`kubectl api-resources\``;
    super(`the apiserver does not serve ${kind.kind} (${apiVersionOf(kind)}): ${remedy}`);
    this.kind = kind;
    this.detail = detail;
  }
}

interface ApiResourceList {
  readonly resources?: readonly { name: string; namespaced: boolean; kind: string }[];
}

/**
 * Maps kinds to REST paths through discovery, one request per group/version, cached. A miss
 * re-reads discovery once, so kinds from CRDs created after start-up are found.
 */
export class ResourceMapper {
  private readonly transport: Transport;
  private readonly byGroupVersion = new Map<string, Promise<Map<string, ResourceInfo>>>();

  constructor(transport: Transport) {
    this.transport = transport;
  }

  async resolve(kind: ResourceKind): Promise<ResourceInfo> {
    const groupVersion = apiVersionOf(kind);
    const cached = await this.load(groupVersion, kind).catch(() => undefined);
    const hit = cached?.get(kind.kind);
    if (hit) return hit;
    this.byGroupVersion.delete(groupVersion);
    const fresh = await this.load(groupVersion, kind);
    const found = fresh.get(kind.kind);
    if (!found) throw new UnknownKindError(kind, `no kind ${kind.kind} in ${groupVersion}`);
    return found;
  }

  /** Forgets cached discovery, e.g. after installing CRDs. */
  invalidate(): void {
    this.byGroupVersion.clear();
  }

  private load(groupVersion: string, kind: ResourceKind): Promise<Map<string, ResourceInfo>> {
    let pending = this.byGroupVersion.get(groupVersion);
    if (!pending) {
      pending = this.fetch(groupVersion, kind);
      this.byGroupVersion.set(groupVersion, pending);
      pending.catch(() => this.byGroupVersion.delete(groupVersion));
    }
    return pending;
  }

  private async fetch(groupVersion: string, kind: ResourceKind): Promise<Map<string, ResourceInfo>> {
    const basePath = kind.group ? `/apis/${groupVersion}` : `/api/${groupVersion}`;
    let list: ApiResourceList;
    try {
      list = await this.transport.request<ApiResourceList>({ method: 'GET', path: basePath });
    } catch (error) {
      // Only a 404 means the group/version is not served; anything else (refused, 403...) is the real error.
      if (!(error instanceof NotFoundError)) throw error;
      throw new UnknownKindError(kind, `${groupVersion} is not served (GET ${basePath}: 404)`);
    }
    const subresources = new Map<string, Set<string>>();
    const infos = new Map<string, ResourceInfo>();
    for (const resource of list.resources ?? []) {
      const [plural = '', sub] = resource.name.split('/');
      if (sub) {
        const set = subresources.get(plural) ?? new Set<string>();
        set.add(sub);
        subresources.set(plural, set);
      }
    }
    for (const resource of list.resources ?? []) {
      if (resource.name.includes('/')) continue;
      infos.set(resource.kind, {
        basePath,
        plural: resource.name,
        namespaced: resource.namespaced,
        subresources: subresources.get(resource.name) ?? new Set(),
      });
    }
    return infos;
  }
}
