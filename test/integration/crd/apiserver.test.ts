// Every fixture CRD against a real kube-apiserver: established, validating, defaulting, printing,
// explaining, scaling, and keeping a realistic pod template unpruned; and the repository's crds/
// within what client-side kubectl apply can store.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateCrds, writeCrdFiles, type GeneratedCrd } from '../../../sdk/crd/index.ts';
import {
  resolveBinary,
  startControlPlane,
  waitUntil,
  type ControlPlane,
} from '../../../sdk/testing/index.ts';
import { runProcess } from '../../support/run-process.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('generated CRDs on a real kube-apiserver', () => {
  let plane: ControlPlane;
  let crds: GeneratedCrd[];
  const outDir = mkdtempSync(join(tmpdir(), 'typerator-crd-it-'));

  /** Runs kubectl against the test control plane; `input` is sent as JSON on stdin. */
  const kubectl = async (args: readonly string[], input?: unknown): Promise<KubectlResult> => {
    const result = await runProcess(
      resolveBinary('kubectl'),
      ['--kubeconfig', plane.kubeconfigPath, ...args],
      {
        ...(input === undefined ? {} : { input: JSON.stringify(input) }),
      },
    );
    return { ...result, code: result.code ?? 1 };
  };
  const mustKubectl = async (args: readonly string[], input?: unknown): Promise<string> => {
    const result = await kubectl(args, input);
    assert.equal(result.code, 0, `kubectl ${args.join(' ')} failed:\n${result.stderr}`);
    return result.stdout;
  };
  /** Asserts that creating `object` fails and the apiserver's message matches `expected`. */
  const rejects = async (object: unknown, expected: RegExp): Promise<void> => {
    const result = await kubectl(['create', '-f', '-'], object);
    assert.notEqual(result.code, 0, `expected a rejection matching ${String(expected)}`);
    assert.match(result.stderr, expected);
  };

  const widget = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: 'fixtures.typerator.dev/v1',
    kind: 'Widget',
    metadata: { name, namespace: 'default' },
    spec: { size: 10, color: 'blue', ...spec },
  });

  before(async () => {
    crds = generateCrds({
      root: repoRoot,
      entries: ['test/fixtures/crd/*.ts', 'test/fixtures/crd/mapping/*.ts'],
    });
    writeCrdFiles(crds, outDir);
    plane = await startControlPlane();
    // Server-side apply: the pod-template CRDs are larger than the client-side annotation limit.
    await mustKubectl(['apply', '--server-side', '-f', outDir]);
    await mustKubectl([
      'wait',
      '--for=condition=Established',
      '--timeout=60s',
      ...crds.map((c) => `crd/${c.crd.metadata.name}`),
    ]);
    // A freshly established CRD can take a moment to be served.
    await waitUntil(
      async () => (await kubectl(['get', 'widgets,gadgets,tinydeployments,tinystatefulsets'])).code === 0,
      {
        what: 'the fixture resources to be served',
        timeoutMs: 30_000,
      },
    );
  });
  after(async () => {
    await plane.stop();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('establishes every fixture CRD with structural schemas', async () => {
    const status = JSON.parse(await mustKubectl(['get', 'crd', '-o', 'json'])) as {
      items: { metadata: { name: string }; status: { conditions: { type: string; status: string }[] } }[];
    };
    for (const { crd } of crds) {
      const live = status.items.find((item) => item.metadata.name === crd.metadata.name);
      assert.ok(live, `${crd.metadata.name} exists`);
      const condition = (type: string) => live.status.conditions.find((c) => c.type === type)?.status;
      assert.equal(condition('Established'), 'True', crd.metadata.name);
      assert.equal(condition('NonStructuralSchema'), undefined, `${crd.metadata.name} is structural`);
    }
  });

  it('accepts a valid widget and applies the schema defaults', async () => {
    await mustKubectl(['create', '-f', '-'], widget('defaults', { ports: [{ name: 'http', port: 80 }] }));
    const read = JSON.parse(await mustKubectl(['get', 'widget', 'defaults', '-o', 'json'])) as {
      spec: { replicas: number; paused: boolean; ports: { protocol: string }[] };
    };
    assert.equal(read.spec.replicas, 1);
    assert.equal(read.spec.paused, false);
    assert.equal(read.spec.ports[0]?.protocol, 'TCP');
  });

  it('rejects values out of bounds, off pattern, off enum, or violating a CEL rule', async () => {
    await rejects(
      widget('too-many', { replicas: 101 }),
      /spec\.replicas: Invalid value: 101: spec\.replicas in body should be less than or equal to 100/,
    );
    await rejects(
      widget('no-size', { size: 0 }),
      /spec\.size: Invalid value: 0: spec\.size in body should be greater than 0/,
    );
    await rejects(
      widget('half', { size: 12 }),
      /spec\.size: Invalid value: 12: spec\.size in body should be a multiple of 5/,
    );
    await rejects(
      widget('upper', { color: 'Blue' }),
      /spec\.color: Invalid value: "Blue": spec\.color in body should match/,
    );
    await rejects(
      widget('enum', { strategy: 'Fast' }),
      /spec\.strategy: Unsupported value: "Fast": supported values: "Recreate", "RollingUpdate"/,
    );
    await rejects(
      widget('range', { range: { low: 5, high: 1 } }),
      /spec\.range\.low: Invalid value: "object": low must not exceed high/,
    );
    await rejects(
      widget('weight', { weight: 0 }),
      /spec\.weight: Invalid value: "integer": weight must be at least 1/,
    );
    await rejects(widget('reserved', { zone: 'forbidden' }), /zone 'forbidden' is reserved/);
    await rejects(
      widget('float', { replicas: 1.5 }),
      /spec\.replicas: Invalid value: "number": spec\.replicas in body must be of type integer: "number"/,
    );
    await rejects(widget('tags', { tags: ['a', 'a'] }), /spec\.tags\[1\]: Duplicate value: "a"/);
  });

  it('takes int-or-string as 3 or "25%" and rejects an object', async () => {
    await mustKubectl(['create', '-f', '-'], widget('surge-int', { maxSurge: 3, memory: '1Gi' }));
    await mustKubectl(['create', '-f', '-'], widget('surge-percent', { maxSurge: '25%', memory: 512 }));
    await rejects(
      widget('surge-object', { maxSurge: {} }),
      /spec\.maxSurge: Invalid value: "object": spec\.maxSurge in body must be of type integer,string: "object"/,
    );
    await rejects(
      widget('bad-quantity', { memory: 'lots' }),
      /spec\.memory: Invalid value: "lots": spec\.memory in body should match/,
    );
  });

  it('refuses to change an immutable field on update', async () => {
    await mustKubectl(['create', '-f', '-'], widget('immutable', { storageClass: 'fast', zone: 'a' }));
    const change = await kubectl([
      'patch',
      'widget',
      'immutable',
      '--type=merge',
      '-p',
      '{"spec":{"storageClass":"slow"}}',
    ]);
    assert.notEqual(change.code, 0);
    assert.match(
      change.stderr,
      /spec\.storageClass: Invalid value: "string": storageClass cannot be changed/,
    );
    const zone = await kubectl([
      'patch',
      'widget',
      'immutable',
      '--type=merge',
      '-p',
      '{"spec":{"zone":"b"}}',
    ]);
    assert.match(zone.stderr, /zone is immutable/);
    await mustKubectl(['patch', 'widget', 'immutable', '--type=merge', '-p', '{"spec":{"color":"red"}}']);
  });

  it('shows the printer columns in kubectl get', async () => {
    await mustKubectl(
      ['create', '-f', '-'],
      widget('columns', { replicas: 2, color: 'green', owner: 'ops@example.com' }),
    );
    const table = await mustKubectl(['get', 'widgets', 'columns']);
    assert.match(table, /^NAME\s+REPLICAS\s+COLOR\s+READY\s+AGE\s*$/m);
    assert.match(table, /^columns\s+2\s+green\s+/m);
    const wide = await mustKubectl(['get', 'wd', 'columns', '-o', 'wide']);
    assert.match(wide, /^NAME\s+REPLICAS\s+COLOR\s+READY\s+OWNER\s+AGE\s*$/m);
    assert.match(wide, /ops@example\.com/);
  });

  it('explains fields with their TypeScript doc comments', async () => {
    const explained = await mustKubectl(['explain', 'widgets.spec']);
    assert.match(explained, /Desired state of a Widget\./);
    assert.match(explained, /replicas\s+<integer>/);
    assert.match(explained, /Number of replicas\./);
    assert.match(explained, /color\s+<string> -required-/);
    const ports = await mustKubectl(['explain', 'widgets.spec.ports.port']);
    assert.match(ports, /Port number\./);
  });

  it('scales through the scale subresource', async () => {
    await mustKubectl(['create', '-f', '-'], widget('scalable', { replicas: 1 }));
    await mustKubectl(['scale', 'widget', 'scalable', '--replicas=4']);
    const read = JSON.parse(await mustKubectl(['get', 'widget', 'scalable', '-o', 'json'])) as {
      spec: { replicas: number };
    };
    assert.equal(read.spec.replicas, 4);
  });

  it('round-trips a Deployment-like object with a realistic pod template, unpruned', async () => {
    const spec = {
      replicas: 3,
      selector: {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }],
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: {
        metadata: { labels: { app: 'web', tier: 'front' }, annotations: { 'example.dev/checksum': 'abc' } },
        spec: {
          serviceAccountName: 'web',
          terminationGracePeriodSeconds: 30,
          securityContext: { runAsNonRoot: true, fsGroup: 2000 },
          containers: [
            {
              name: 'web',
              image: 'nginx:1.27',
              args: ['--port', '8080'],
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              env: [
                { name: 'MODE', value: 'prod' },
                { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              ],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: 1, memory: '256Mi' } },
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
              livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 10 },
              volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
            },
          ],
          volumes: [{ name: 'cache', emptyDir: { sizeLimit: '1Gi' } }],
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    topologyKey: 'kubernetes.io/hostname',
                    labelSelector: { matchLabels: { app: 'web' } },
                  },
                },
              ],
            },
          },
        },
      },
      sidecarResources: { limits: { memory: '64Mi' } },
    };
    const object = {
      apiVersion: 'workloads.typerator.dev/v1',
      kind: 'TinyDeployment',
      metadata: { name: 'web', namespace: 'default' },
      spec,
    };
    // --validate=strict makes any field the schema lacks an error instead of a silent prune.
    await mustKubectl(['create', '--validate=strict', '-f', '-'], object);
    const read = JSON.parse(await mustKubectl(['get', 'tinydeployment', 'web', '-o', 'json'])) as {
      spec: unknown;
    };
    assert.deepEqual(read.spec, spec);
  });

  it('round-trips a StatefulSet-like object with volumeClaimTemplates', async () => {
    const spec = {
      replicas: 2,
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      template: {
        metadata: { labels: { app: 'db' } },
        spec: {
          containers: [
            {
              name: 'db',
              image: 'postgres:17',
              volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql' }],
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'data', labels: { app: 'db' } },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: 'standard',
            resources: { requests: { storage: '10Gi' } },
          },
        },
      ],
    };
    const object = {
      apiVersion: 'workloads.typerator.dev/v1',
      kind: 'TinyStatefulSet',
      metadata: { name: 'db', namespace: 'default' },
      spec,
    };
    await mustKubectl(['create', '--validate=strict', '-f', '-'], object);
    const read = JSON.parse(await mustKubectl(['get', 'tinystatefulset', 'db', '-o', 'json'])) as {
      spec: unknown;
    };
    assert.deepEqual(read.spec, spec);
    const rename = await kubectl([
      'patch',
      'tinystatefulset',
      'db',
      '--type=merge',
      '-p',
      '{"spec":{"serviceName":"other"}}',
    ]);
    assert.match(rename.stderr, /serviceName is immutable/);
  });

  it('keeps free-form, nullable, date and nested-array fields of the mapping fixture', async () => {
    const spec = {
      first: { value: 'a' },
      surge: '10%',
      looseSurge: 2,
      maybe: null,
      constant: 'only',
      flag: true,
      positive: 0.5,
      anything: { deeply: { nested: [1, 'two', { three: 3 }] } },
      freeForm: { any: 'thing', count: 1 },
      object: { kept: true },
      counts: { a: 1 },
      when: '2026-01-02T03:04:05Z',
      matrix: [
        [1, 2.5],
        [3, 4],
      ],
      meta: { name: 'inner', labels: { app: 'x' } },
      nullableInt: null,
      count: 3,
    };
    const object = {
      apiVersion: 'mapping.typerator.dev/v1',
      kind: 'Mapping',
      metadata: { name: 'sample', namespace: 'default' },
      spec,
    };
    await mustKubectl(['create', '--validate=strict', '-f', '-'], object);
    const read = JSON.parse(await mustKubectl(['get', 'mappings', 'sample', '-o', 'json'])) as {
      spec: unknown;
    };
    assert.deepEqual(read.spec, spec);
    await rejects(
      { ...object, metadata: { name: 'zero', namespace: 'default' }, spec: { count: 0 } },
      /spec\.count: Invalid value: "integer": failed rule: self > 0/,
    );
  });

  it('serves the Gadget versions as declared: v1 storage, v1beta1 deprecated, v1alpha1 not served', async () => {
    const body = (version: string) => ({
      apiVersion: `fixtures.typerator.dev/${version}`,
      kind: 'Gadget',
      metadata: { name: `gadget-${version}` },
      spec: { mode: 'slow' },
    });
    await mustKubectl(['create', '-f', '-'], body('v1'));
    const beta = await kubectl(['create', '-f', '-'], body('v1beta1'));
    assert.equal(beta.code, 0, beta.stderr);
    assert.match(beta.stderr, /Warning: fixtures\.typerator\.dev\/v1beta1 Gadget is deprecated; use v1/);
    const alpha = await kubectl(['create', '-f', '-'], body('v1alpha1'));
    assert.notEqual(alpha.code, 0);
    assert.match(
      alpha.stderr,
      /no matches for kind "Gadget" in version "fixtures\.typerator\.dev\/v1alpha1"/,
    );
    const defaulted = JSON.parse(await mustKubectl(['get', 'gadget', 'gadget-v1', '-o', 'json'])) as {
      spec: unknown;
    };
    assert.deepEqual(defaulted.spec, { mode: 'slow' });
    const cluster = await mustKubectl(['get', 'gd']);
    assert.match(cluster, /^NAME\s+MODE\s*$/m);
  });

  it('fits client-side kubectl apply: crds/ as committed applies, the same CRDs with full descriptions are refused', async () => {
    // Client-side apply copies the object into the last-applied-configuration annotation, which
    // the apiserver caps at 256 KiB; package.json's maxDescriptionLength keeps crds/ under it.
    await mustKubectl(['apply', '-f', join(repoRoot, 'crds')]);
    const unshortened = mkdtempSync(join(tmpdir(), 'typerator-crd-full-'));
    try {
      const full = generateCrds({ root: repoRoot, entries: ['operators/*/api/**/*.ts'] });
      writeCrdFiles(full, unshortened);
      const refused = await kubectl(['apply', '-f', unshortened]);
      assert.notEqual(refused.code, 0, 'CRDs with every description should exceed the annotation limit');
      assert.match(refused.stderr, /metadata\.annotations: Too long/);
    } finally {
      rmSync(unshortened, { recursive: true, force: true });
    }
  });
});
