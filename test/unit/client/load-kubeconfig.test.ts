import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { KubeConfigError } from '../../../sdk/client/errors.ts';
import { loadKubeConfig } from '../../../sdk/client/load-kubeconfig.ts';

const folder = mkdtempSync(join(tmpdir(), 'typerator-kubeconfig-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

function kubeconfig(contexts: { name: string; cluster: string }[], current?: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'local', cluster: { server: 'https://127.0.0.1:6443' } }],
    users: [{ name: 'admin', user: { token: 'secret' } }],
    contexts: contexts.map(({ name, cluster }) => ({ name, context: { cluster, user: 'admin' } })),
    ...(current ? { 'current-context': current } : {}),
  });
}

function refuses(env: NodeJS.ProcessEnv, message: RegExp): void {
  assert.throws(
    () => loadKubeConfig({ env }),
    (error: unknown) => error instanceof KubeConfigError && message.test(error.message),
  );
}

describe('loadKubeConfig', () => {
  const good = file('good', kubeconfig([{ name: 'dev', cluster: 'local' }], 'dev'));

  it('loads the file KUBECONFIG names, skipping missing ones like kubectl', () => {
    assert.equal(
      loadKubeConfig({ env: { KUBECONFIG: good } }).getCurrentCluster()?.server,
      'https://127.0.0.1:6443',
    );
    const both = `${join(folder, 'gone')}${delimiter}${good}`;
    assert.equal(loadKubeConfig({ env: { KUBECONFIG: both } }).currentContext, 'dev');
  });

  it('names a KUBECONFIG file that does not exist, and what to do', () => {
    const missing = join(folder, 'missing.kubeconfig');
    refuses(
      { KUBECONFIG: missing },
      new RegExp(
        `^KUBECONFIG names ${missing}, which does not exist: set KUBECONFIG to your kubeconfig file \\(or pass --kubeconfig\\); for a local cluster, run \`typerator cluster up\``,
      ),
    );
  });

  it('names a file that does not parse, with the parser’s reason', () => {
    const garbage = file('garbage', 'clusters: [unclosed\n  - : :\n');
    refuses(
      { KUBECONFIG: garbage },
      new RegExp(
        `^kubeconfig ${garbage} is not valid YAML \\(.+\\): fix it, or set KUBECONFIG to your kubeconfig file`,
      ),
    );
    refuses(
      { KUBECONFIG: folder },
      new RegExp(`^kubeconfig ${folder} cannot be read \\(it is a folder, not a file\\)`),
    );
  });

  it('refuses YAML that is not a kubeconfig, and a missing or undefined current context', () => {
    refuses(
      { KUBECONFIG: file('words', 'hello world\n') },
      /words defines no contexts, so it is not a usable kubeconfig/,
    );
    refuses(
      { KUBECONFIG: file('no-current', kubeconfig([{ name: 'dev', cluster: 'local' }])) },
      /no-current has no current-context: run `kubectl config use-context <name>` \(contexts: dev\)/,
    );
    refuses(
      { KUBECONFIG: file('bad-current', kubeconfig([{ name: 'dev', cluster: 'local' }], 'prod')) },
      /current-context "prod" is not defined/,
    );
    refuses(
      { KUBECONFIG: file('bad-cluster', kubeconfig([{ name: 'dev', cluster: 'elsewhere' }], 'dev')) },
      /context "dev" names cluster "elsewhere", which is not defined/,
    );
  });

  it(
    'says so when there is no kubeconfig anywhere',
    { skip: existsSync('/var/run/secrets/kubernetes.io') },
    () => {
      const home = join(folder, 'home');
      mkdirSync(home);
      refuses(
        { HOME: home },
        new RegExp(
          `^no kubeconfig found: KUBECONFIG is not set, ${join(home, '.kube', 'config')} does not exist, and this is not a pod with a service account: set KUBECONFIG`,
        ),
      );
    },
  );
});
