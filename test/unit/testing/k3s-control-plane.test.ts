// Runtime 'k3s' cannot start here (no Docker engine, no rancher/k3s image): what is tested is
// everything before the container and the error a machine without a runtime gets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ControlPlaneStartError, startControlPlane } from '../../../sdk/testing/index.ts';
import { k3sServerCommand, serverOf, unsupportedK3sOptions } from '../../../sdk/testing/k3s-control-plane.ts';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - name: default
    cluster: { server: 'https://localhost:32771', certificate-authority-data: '' }
users:
  - name: default
    user: { token: t }
contexts:
  - name: default
    context: { cluster: default, user: default }
current-context: default
`;

describe("startControlPlane({ runtime: 'k3s' })", () => {
  it('names each option that has no meaning in a k3s container', () => {
    assert.deepEqual(unsupportedK3sOptions({ runtime: 'k3s', tier: 'full', storage: true }), []);
    const named = unsupportedK3sOptions({
      runtime: 'k3s',
      tier: 'apiserver',
      nodes: 3,
      podStages: {},
      storage: false,
    });
    assert.equal(named.length, 4);
    for (const option of ["tier: 'apiserver'", 'nodes', 'podStages', 'storage: false'])
      assert.ok(
        named.some((line) => line.startsWith(option)),
        option,
      );
  });

  it('passes extra component flags through k3s', () => {
    assert.deepEqual(
      k3sServerCommand({
        apiServerArgs: ['--enable-admission-plugins=OwnerReferencesPermissionEnforcement'],
        controllerManagerArgs: ['--kube-api-qps=100'],
      }),
      [
        'server',
        '--disable=traefik',
        '--kube-apiserver-arg=enable-admission-plugins=OwnerReferencesPermissionEnforcement',
        '--kube-controller-manager-arg=kube-api-qps=100',
      ],
    );
  });

  it("reads the apiserver URL from k3s's kubeconfig", () => {
    assert.equal(serverOf(KUBECONFIG), 'https://localhost:32771');
  });

  it('refuses kwok-only options before starting anything', async () => {
    await assert.rejects(
      startControlPlane({ runtime: 'k3s', nodes: 2 }),
      (error: unknown) =>
        error instanceof ControlPlaneStartError && /does not take nodes .*leave them out/.test(error.message),
    );
  });

  it('says that a container runtime is needed when none answers', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      DOCKER_HOST: 'unix:///nonexistent/typerator-test.sock',
      TESTCONTAINERS_RYUK_DISABLED: 'true',
    });
    try {
      await assert.rejects(
        startControlPlane({ runtime: 'k3s' }),
        (error: unknown) =>
          error instanceof ControlPlaneStartError &&
          error.component === 'k3s' &&
          /cannot start rancher\/k3s:.* needs a container runtime/.test(error.message),
      );
    } finally {
      for (const key of ['DOCKER_HOST', 'TESTCONTAINERS_RYUK_DISABLED'])
        if (saved[key] === undefined) Reflect.deleteProperty(process.env, key);
        else process.env[key] = saved[key];
    }
  });
});
