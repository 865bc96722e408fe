import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { managerOptionsFor } from '../../../sdk/runner/run-operators.ts';
import { RUN_SETTINGS, resolveRunSettings, type RunFlags } from '../../../sdk/runner/run-settings.ts';
import { runnerCommand } from '../../../sdk/runner/runner-command.ts';

/** The command with its output captured and errors thrown instead of exiting. */
function command() {
  const output = { out: '', err: '' };
  const built = runnerCommand({
    name: 'shop',
    description: 'runs the shop',
    operators: ['orders', 'invoices'],
  })
    .exitOverride()
    .configureOutput({
      writeOut: (text) => (output.out += text),
      writeErr: (text) => (output.err += text),
    });
  return { built, output };
}

function flagsOf(argv: readonly string[]): RunFlags {
  const { built } = command();
  built.parse([...argv], { from: 'user' });
  return built.opts<RunFlags>();
}

describe('runnerCommand', () => {
  // [argv, the flags commander hands the runner]
  const table: [string[], RunFlags][] = [
    [[], {}],
    [['--operators', 'orders', '--namespace=shop'], { operators: 'orders', namespace: 'shop' }],
    [['--leader-elect'], { leaderElect: true }],
    [['--leader-elect=false'], { leaderElect: 'false' }],
    [['--no-leader-elect'], { leaderElect: false }],
    [
      ['--leader-election-id', 'lock', '--leader-election-namespace', 'ops'],
      { leaderElectionId: 'lock', leaderElectionNamespace: 'ops' },
    ],
    [
      ['--metrics-bind-address', ':9090', '--health-probe-bind-address', 'off'],
      { metricsBindAddress: ':9090', healthProbeBindAddress: 'off' },
    ],
    [
      ['--webhook-port', '10443', '--webhook-cert-dir', '/certs'],
      { webhookPort: '10443', webhookCertDir: '/certs' },
    ],
    [
      ['--log-level', 'debug', '--log-format', 'json', '--kubeconfig', '/k'],
      { logLevel: 'debug', logFormat: 'json', kubeconfig: '/k' },
    ],
  ];
  for (const [argv, flags] of table)
    it(`parses ${argv.join(' ') || 'no flags'}`, () => assert.deepEqual(flagsOf(argv), flags));

  // [argv, the one line commander prints]
  const mistakes: [string[], string][] = [
    [['--bogus'], "error: unknown option '--bogus' (see --help)\n"],
    [['--namespac', 'x'], "error: unknown option '--namespac' (Did you mean --namespace?) (see --help)\n"],
    [['--namespace'], "error: option '--namespace <namespace>' argument missing (see --help)\n"],
    [['orders'], 'error: too many arguments. Expected 0 arguments but got 1. (see --help)\n'],
  ];
  for (const [argv, line] of mistakes)
    it(`refuses ${argv.join(' ')} with one line`, () => {
      const { built, output } = command();
      assert.throws(() => built.parse(argv, { from: 'user' }), { exitCode: 1 });
      assert.equal(output.err, line);
    });

  it('documents every flag with its variable and default, and the operators to choose from', () => {
    const { built } = command();
    const help = built.helpInformation();
    for (const setting of Object.values(RUN_SETTINGS)) {
      assert.ok(help.includes(`${setting.flag} ${setting.argument}`), setting.flag);
      assert.ok(help.includes(`env ${setting.variable}; default: ${setting.defaultText}]`), setting.variable);
    }
    assert.match(help, /--no-leader-elect/);
    assert.match(help, /comma-separated: orders, invoices/);
  });
});

describe('managerOptionsFor', () => {
  it('gives the manager the addresses, namespace, Lease and webhook server the settings name', () => {
    const settings = resolveRunSettings(
      { namespace: 'shop', metricsBindAddress: '127.0.0.1:0', logFormat: 'json' },
      {},
      { name: 'shop', operators: ['orders'] },
    );
    const { logger, ...options } = managerOptionsFor('shop', settings);
    assert.equal(logger?.level, 'info');
    assert.deepEqual(options, {
      metricsBindAddress: '127.0.0.1:0',
      healthProbeBindAddress: ':8081',
      namespace: 'shop',
      leaderElection: { name: 'shop', namespace: 'default' },
    });
    const quiet = resolveRunSettings(
      { leaderElect: false, logLevel: 'warn', logFormat: 'json' },
      {},
      { name: 'shop', operators: ['orders'] },
    );
    const { logger: quietLogger, ...quietOptions } = managerOptionsFor('shop', {
      ...quiet,
      webhook: { certDir: '/certs', port: 0 },
    });
    assert.equal(quietLogger?.level, 'warn');
    assert.deepEqual(quietOptions, {
      metricsBindAddress: ':8080',
      healthProbeBindAddress: ':8081',
      webhook: { certDir: '/certs', port: 0 },
    });
  });
});
