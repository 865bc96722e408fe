import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSetupError } from '../../../sdk/errors/setup-error.ts';
import {
  EnvironmentVariableError,
  managerOptionsFromEnvironment,
} from '../../../sdk/manager/manager-options-from-environment.ts';

/** The options without the logger (a pino instance), plus the logger's level. */
function read(env: NodeJS.ProcessEnv, defaults = {}) {
  const { logger, ...options } = managerOptionsFromEnvironment({ LOG_FORMAT: 'json', ...env }, defaults);
  return { level: logger?.level, options };
}

function refuses(env: NodeJS.ProcessEnv, message: RegExp): void {
  assert.throws(
    () => managerOptionsFromEnvironment({ LOG_FORMAT: 'json', ...env }),
    (error: unknown) => error instanceof EnvironmentVariableError && message.test(error.message),
  );
}

describe('managerOptionsFromEnvironment', () => {
  it('leaves the manager defaults alone when nothing is set (empty counts as unset)', () => {
    assert.deepEqual(read({}), { level: 'info', options: {} });
    assert.deepEqual(
      read({ METRICS_BIND_ADDRESS: '', HEALTH_PROBE_BIND_ADDRESS: '', WATCH_NAMESPACE: '', LOG_LEVEL: '' }),
      { level: 'info', options: {} },
    );
  });

  it('reads bind addresses (host:port, :port, a port, off), the watched namespace and the log level', () => {
    assert.deepEqual(
      read({
        METRICS_BIND_ADDRESS: '127.0.0.1:9090',
        HEALTH_PROBE_BIND_ADDRESS: 'off',
        WATCH_NAMESPACE: 'team-a',
        LOG_LEVEL: 'debug',
      }),
      {
        level: 'debug',
        options: { metricsBindAddress: '127.0.0.1:9090', healthProbeBindAddress: false, namespace: 'team-a' },
      },
    );
    assert.deepEqual(read({ METRICS_BIND_ADDRESS: ':0', HEALTH_PROBE_BIND_ADDRESS: '8081' }).options, {
      metricsBindAddress: ':0',
      healthProbeBindAddress: '8081',
    });
  });

  it('puts the Lease in POD_NAMESPACE (default "default") only when a lease name is given', () => {
    assert.deepEqual(read({ POD_NAMESPACE: 'ops' }).options, {});
    assert.deepEqual(read({ POD_NAMESPACE: 'ops' }, { leaseName: 'my-operator' }).options, {
      leaderElection: { name: 'my-operator', namespace: 'ops' },
    });
    assert.deepEqual(read({}, { leaseName: 'my-operator' }).options, {
      leaderElection: { name: 'my-operator', namespace: 'default' },
    });
  });

  it('refuses a malformed value with a message naming the variable and what it accepts', () => {
    refuses(
      { METRICS_BIND_ADDRESS: 'eight-thousand' },
      /^METRICS_BIND_ADDRESS=eight-thousand is not a bind address: use host:port, :port or off/,
    );
    refuses(
      { HEALTH_PROBE_BIND_ADDRESS: ':70000' },
      /^HEALTH_PROBE_BIND_ADDRESS=:70000 is not a bind address/,
    );
    refuses({ HEALTH_PROBE_BIND_ADDRESS: 'localhost:' }, /^HEALTH_PROBE_BIND_ADDRESS=localhost: is not/);
    refuses({ LOG_LEVEL: 'loud' }, /^LOG_LEVEL=loud is not a log level: use one of fatal, error, warn, info/);
    refuses({ LOG_FORMAT: 'xml' }, /^LOG_FORMAT=xml is not a log format: use pretty or json$/);
    refuses({ WATCH_NAMESPACE: 'a,b' }, /^WATCH_NAMESPACE=a,b is not one namespace/);
    refuses({ WATCH_NAMESPACE: 'Team_A' }, /^WATCH_NAMESPACE=Team_A is not a namespace name/);
    refuses({ POD_NAMESPACE: '-ops' }, /^POD_NAMESPACE=-ops is not a namespace name/);
  });

  it('is a SetupError, so Manager.run reports it as one line', () => {
    assert.throws(
      () => managerOptionsFromEnvironment({ LOG_LEVEL: 'loud' }),
      (error: unknown) => isSetupError(error) && error.name === 'EnvironmentVariableError',
    );
  });
});
