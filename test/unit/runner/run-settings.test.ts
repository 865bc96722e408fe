import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { InvalidSettingError } from '../../../sdk/errors/invalid-setting-error.ts';
import { isSetupError } from '../../../sdk/errors/setup-error.ts';
import { EnvironmentVariableError } from '../../../sdk/manager/manager-options-from-environment.ts';
import {
  RUN_SETTINGS,
  resolveRunSettings,
  type RunFlags,
  type RunSettings,
} from '../../../sdk/runner/run-settings.ts';

const certs = mkdtempSync(join(tmpdir(), 'typerator-run-settings-'));
after(() => rmSync(certs, { recursive: true, force: true }));

const target = { name: 'shop', operators: ['orders', 'invoices', 'refunds'] };

const defaults: RunSettings = {
  operators: ['orders', 'invoices', 'refunds'],
  namespace: undefined,
  leaderElection: { name: 'shop', namespace: 'default' },
  metricsBindAddress: ':8080',
  healthProbeBindAddress: ':8081',
  webhook: undefined,
  logLevel: 'info',
  logFormat: undefined,
  kubeconfig: undefined,
};

const resolve = (flags: RunFlags, env: NodeJS.ProcessEnv = {}) => resolveRunSettings(flags, env, target);

describe('resolveRunSettings', () => {
  it('fills in every default when nothing is set (an empty flag or variable counts as unset)', () => {
    assert.deepEqual(resolve({}), defaults);
    const empty = Object.fromEntries(Object.values(RUN_SETTINGS).map((s) => [s.variable, ' ']));
    assert.deepEqual(resolve({ operators: '', namespace: '', logLevel: '' }, empty), defaults);
  });

  // [what, flags, env, the settings that differ from the defaults]
  const table: [string, RunFlags, NodeJS.ProcessEnv, Partial<RunSettings>][] = [
    [
      'operators from the flag, in registration order',
      { operators: 'refunds, orders,orders' },
      {},
      { operators: ['orders', 'refunds'] },
    ],
    ['operators from OPERATORS', {}, { OPERATORS: 'invoices' }, { operators: ['invoices'] }],
    [
      'the flag wins over the variable',
      { operators: 'orders' },
      { OPERATORS: 'invoices' },
      { operators: ['orders'] },
    ],
    ['namespace', { namespace: 'shop' }, {}, { namespace: 'shop' }],
    ['WATCH_NAMESPACE', {}, { WATCH_NAMESPACE: 'team-a' }, { namespace: 'team-a' }],
    ['--leader-elect alone', { leaderElect: true }, { LEADER_ELECT: 'false' }, {}],
    ['--no-leader-elect', { leaderElect: false }, {}, { leaderElection: undefined }],
    ['--leader-elect=false', { leaderElect: 'false' }, {}, { leaderElection: undefined }],
    ['LEADER_ELECT=false', {}, { LEADER_ELECT: 'false' }, { leaderElection: undefined }],
    [
      'the Lease from flags',
      { leaderElectionId: 'shop.leader', leaderElectionNamespace: 'ops' },
      { POD_NAMESPACE: 'other' },
      { leaderElection: { name: 'shop.leader', namespace: 'ops' } },
    ],
    [
      'the Lease from variables (POD_NAMESPACE as the downward API gives it)',
      {},
      { LEADER_ELECTION_ID: 'shop-lock', POD_NAMESPACE: 'shop-system' },
      { leaderElection: { name: 'shop-lock', namespace: 'shop-system' } },
    ],
    [
      'bind addresses',
      { metricsBindAddress: '127.0.0.1:9090', healthProbeBindAddress: 'off' },
      { METRICS_BIND_ADDRESS: ':1' },
      { metricsBindAddress: '127.0.0.1:9090', healthProbeBindAddress: false },
    ],
    [
      'bind addresses from variables',
      {},
      { METRICS_BIND_ADDRESS: 'off', HEALTH_PROBE_BIND_ADDRESS: '8082' },
      { metricsBindAddress: false, healthProbeBindAddress: '8082' },
    ],
    [
      'webhooks on a certificate folder, port 9443',
      { webhookCertDir: certs },
      {},
      { webhook: { certDir: certs, port: 9443 } },
    ],
    [
      'webhooks from variables, on another port',
      {},
      { WEBHOOK_CERT_DIR: certs, WEBHOOK_PORT: '0' },
      { webhook: { certDir: certs, port: 0 } },
    ],
    [
      'the port flag with the folder from the environment',
      { webhookPort: '10443' },
      { WEBHOOK_CERT_DIR: certs },
      { webhook: { certDir: certs, port: 10443 } },
    ],
    [
      'logs',
      { logLevel: 'debug', logFormat: 'json' },
      { LOG_LEVEL: 'warn' },
      { logLevel: 'debug', logFormat: 'json' },
    ],
    [
      'logs from variables',
      {},
      { LOG_LEVEL: 'trace', LOG_FORMAT: 'pretty' },
      { logLevel: 'trace', logFormat: 'pretty' },
    ],
    [
      'a kubeconfig file from the flag',
      { kubeconfig: '/etc/kube.yaml' },
      {},
      { kubeconfig: '/etc/kube.yaml' },
    ],
    // KUBECONFIG may list several files; loadKubeConfig reads it.
    ['KUBECONFIG is left to loadKubeConfig', {}, { KUBECONFIG: '/a:/b' }, {}],
  ];
  for (const [what, flags, env, expected] of table)
    it(`reads ${what}`, () => assert.deepEqual(resolve(flags, env), { ...defaults, ...expected }));

  // [flags, env, the setting named, the message]
  const refusals: [RunFlags, NodeJS.ProcessEnv, string, RegExp][] = [
    [
      { operators: 'order' },
      {},
      '--operators',
      /^--operators=order names an unknown operator "order": use a comma-separated list of orders, invoices, refunds, or leave it unset for all$/,
    ],
    [
      {},
      { OPERATORS: 'a,orders,b' },
      'OPERATORS',
      /^OPERATORS=a,orders,b names unknown operators "a", "b": use/,
    ],
    [{ operators: ' , ' }, {}, '--operators', /^--operators=, names no operator: use a comma-separated list/],
    [
      { namespace: 'a,b' },
      {},
      '--namespace',
      /^--namespace=a,b is not one namespace: use a single namespace/,
    ],
    [{}, { WATCH_NAMESPACE: 'Team_A' }, 'WATCH_NAMESPACE', /^WATCH_NAMESPACE=Team_A is not a namespace name/],
    [
      { leaderElect: 'yes' },
      {},
      '--leader-elect',
      /^--leader-elect=yes is not a boolean: use true or false$/,
    ],
    [{}, { LEADER_ELECT: '1' }, 'LEADER_ELECT', /^LEADER_ELECT=1 is not a boolean/],
    [
      { leaderElectionId: 'Shop_Lock' },
      {},
      '--leader-election-id',
      /^--leader-election-id=Shop_Lock is not an object name/,
    ],
    [{}, { POD_NAMESPACE: '-ops' }, 'POD_NAMESPACE', /^POD_NAMESPACE=-ops is not a namespace name/],
    [
      { metricsBindAddress: 'eight-thousand' },
      {},
      '--metrics-bind-address',
      /^--metrics-bind-address=eight-thousand is not a bind address: use host:port, :port or off \(e\.g\. :8080\)$/,
    ],
    [
      {},
      { HEALTH_PROBE_BIND_ADDRESS: ':70000' },
      'HEALTH_PROBE_BIND_ADDRESS',
      /^HEALTH_PROBE_BIND_ADDRESS=:70000 is not a bind address/,
    ],
    [
      { webhookPort: '9444' },
      {},
      '--webhook-port',
      /^--webhook-port=9444 needs a certificate folder: set --webhook-cert-dir \(or WEBHOOK_CERT_DIR\) to the folder with tls\.crt and tls\.key, or leave the port unset$/,
    ],
    [
      { webhookCertDir: certs, webhookPort: 'https' },
      {},
      '--webhook-port',
      /^--webhook-port=https is not a port number: use a whole number from 0 to 65535/,
    ],
    [
      {},
      { WEBHOOK_CERT_DIR: certs, WEBHOOK_PORT: '70000' },
      'WEBHOOK_PORT',
      /^WEBHOOK_PORT=70000 is not a port number/,
    ],
    [
      { webhookCertDir: join(certs, 'missing') },
      {},
      '--webhook-cert-dir',
      /^--webhook-cert-dir=.*missing is not a folder: use the folder that holds tls\.crt and tls\.key/,
    ],
    [
      { logLevel: 'loud' },
      {},
      '--log-level',
      /^--log-level=loud is not a log level: use one of fatal, error, warn, info, debug, trace, silent$/,
    ],
    [{}, { LOG_FORMAT: 'xml' }, 'LOG_FORMAT', /^LOG_FORMAT=xml is not a log format: use pretty or json$/],
  ];
  for (const [flags, env, setting, message] of refusals)
    it(`refuses ${setting}=${String(Object.values(flags)[0] ?? Object.values(env)[0])} in one line naming it`, () =>
      assert.throws(
        () => resolve(flags, env),
        (error: unknown) => {
          assert.ok(error instanceof InvalidSettingError, String(error));
          assert.ok(isSetupError(error), 'reported as one line by Manager.run');
          assert.equal(error.setting, setting);
          assert.match(error.message, message);
          assert.doesNotMatch(error.message, /\n/);
          return true;
        },
      ));

  it('refuses a malformed variable with the EnvironmentVariableError managerOptionsFromEnvironment throws', () => {
    assert.throws(
      () => resolve({}, { LOG_LEVEL: 'loud' }),
      (error: unknown) => error instanceof EnvironmentVariableError && error.variable === 'LOG_LEVEL',
    );
  });

  it('says when no operator is registered', () => {
    assert.throws(
      () => resolveRunSettings({ operators: 'x' }, {}, { name: 'empty', operators: [] }),
      /^InvalidSettingError: --operators=x names an unknown operator "x": use a comma-separated list of \(none registered\)/,
    );
  });

  it('runs an opt-in operator only when named', () => {
    const withOptIn = { name: 'shop', operators: ['orders', 'audit'], optIn: ['audit'] };
    assert.deepEqual(resolveRunSettings({}, {}, withOptIn).operators, ['orders']);
    assert.deepEqual(resolveRunSettings({ operators: 'audit' }, {}, withOptIn).operators, ['audit']);
    assert.deepEqual(resolveRunSettings({}, { OPERATORS: 'orders,audit' }, withOptIn).operators, [
      'orders',
      'audit',
    ]);
  });
});
