import type { KindNames } from './kind-names.ts';

/**
 * test/<kind>-controller.test.ts: the operator against a real etcd and kube-apiserver from
 * `typerator/testing`, with the CRDs generated from the API types.
 */
export function controllerTest(names: KindNames): string {
  const { kind, variable, constant } = names;
  return `import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  Client,
  Manager,
  isConditionTrue,
  isNotFound,
  kinds,
  managerOptionsFromEnvironment,
  resourceKind,
} from 'typerator';
import { generateCrds } from 'typerator/crd';
import { ensureBinaries, startControlPlane, waitUntil, type ControlPlane } from 'typerator/testing';
import { ${constant}_API_VERSION } from '../src/api/${names.fileStem}.ts';
import { ${variable}Kind } from '../src/controllers/${names.fileStem}-controller.ts';
import { setup } from '../src/operator.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const timeoutMs = 30_000;

/** Installs the CRDs \`npm run crd:generate\` would write, and waits until the apiserver serves them. */
async function installCrds(client: Client): Promise<void> {
  for (const { crd } of generateCrds({ root: projectRoot })) {
    await client.resource(kinds.CustomResourceDefinition).create(crd);
    const version = crd.spec.versions.find((v) => v.storage)?.name ?? '';
    const served = resourceKind(\`\${crd.spec.group}/\${version}\`, crd.spec.names.kind, crd.spec.names.plural);
    // waitUntil retries while the check throws.
    await waitUntil(() => client.resource(served).list(), {
      what: \`\${crd.metadata.name} to be served\`,
      timeoutMs,
    });
  }
}

describe('the operator', () => {
  let plane: ControlPlane | undefined;
  let client: Client | undefined;
  const stop = new AbortController();
  let running: Promise<void> | undefined;

  before(async () => {
    ensureBinaries(); // builds the Kubernetes components from Go modules the first time
    plane = await startControlPlane();
    client = await Client.fromKubeConfig(plane.kubeConfig());
    await installCrds(client);
    const quiet = { LOG_LEVEL: 'warn', METRICS_BIND_ADDRESS: 'off', HEALTH_PROBE_BIND_ADDRESS: 'off' };
    const manager = await Manager.create({
      ...managerOptionsFromEnvironment(quiet),
      kubeConfig: plane.kubeConfig(),
    });
    await setup(manager);
    running = manager.start(stop.signal);
  });

  after(async () => {
    stop.abort();
    await running;
    client?.close();
    await plane?.stop(); // ends etcd and kube-apiserver and removes their folder
  });

  it('keeps a ConfigMap for a ${kind}, reports Ready, and lets it go on deletion', async () => {
    assert.ok(client);
    const ${variable}s = client.resource(${variable}Kind);
    const key = { namespace: 'default', name: 'example' };
    await ${variable}s.create({
      apiVersion: ${constant}_API_VERSION,
      kind: '${kind}',
      metadata: key,
      spec: { color: 'blue' },
    });
    const configMaps = client.resource(kinds.ConfigMap);
    const configMap = await waitUntil(() => configMaps.get(key), {
      what: 'the ConfigMap',
      timeoutMs,
    });
    assert.deepEqual(configMap.data, { color: 'blue', size: '1' });
    assert.equal(configMap.metadata?.ownerReferences?.[0]?.kind, '${kind}');
    await waitUntil(async () => isConditionTrue((await ${variable}s.get(key)).status?.conditions, 'Ready'), {
      what: 'the Ready condition',
      timeoutMs,
    });
    await ${variable}s.delete(key);
    await waitUntil(() => ${variable}s.get(key).then(() => false, isNotFound), {
      what: 'the finalizer to be removed and the ${kind} deleted',
      timeoutMs,
    });
  });
});
`;
}

/** test/<kind>-webhooks.test.ts: defaulting and validation as plain functions, no cluster. */
export function webhooksTest(names: KindNames): string {
  const { kind, variable, constant } = names;
  return `import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ${constant}_API_VERSION, type ${kind} } from '../src/api/${names.fileStem}.ts';
import { default${kind}, validate${kind} } from '../src/webhooks/${names.fileStem}-webhooks.ts';

const ${variable} = (spec: ${kind}['spec']): ${kind} => ({
  apiVersion: ${constant}_API_VERSION,
  kind: '${kind}',
  metadata: { name: 'example', namespace: 'default' },
  spec,
});

describe('${kind} admission', () => {
  it('sets size 1 when it is left out, and keeps a given size', () => {
    const defaulted = ${variable}({ color: 'red' });
    default${kind}(defaulted);
    assert.equal(defaulted.spec.size, 1);
    const sized = ${variable}({ color: 'red', size: 3 });
    default${kind}(sized);
    assert.equal(sized.spec.size, 3);
  });

  it('accepts the colours of the rainbow and names the field of any other', () => {
    assert.deepEqual(validate${kind}(${variable}({ color: 'green' })), []);
    assert.match(validate${kind}(${variable}({ color: 'mauve' })).join(), /^spec\\.color: "mauve"/);
  });
});
`;
}
