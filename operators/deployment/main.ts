import { pino } from 'pino';
import { Manager } from '../../sdk/manager/manager.ts';
import { setup } from './operator.ts';

// Runs the Deployment operator: a Manager from KUBECONFIG, ~/.kube/config or the in-cluster
// service account, with leader election so only one replica reconciles, until SIGTERM or SIGINT.
//
//   node operators/deployment/main.ts
//
// POD_NAMESPACE (from the downward API) places the Lease; default "default".
// METRICS_BIND_ADDRESS / HEALTH_PROBE_BIND_ADDRESS: host:port, or "off"; default :8080 / :8081.
// LOG_LEVEL: pino's level (debug logs every reconcile); default info.
// DEPLOYMENT_OPERATOR_WEBHOOK_CERT_DIR turns the admission webhooks on (see operator.ts).

/** A bind address from the environment: unset keeps the manager's default, "off" disables. */
function bindAddress(value: string | undefined): { address?: string | false } {
  if (value === undefined || value === '') return {};
  return { address: value === 'off' ? false : value };
}

const metrics = bindAddress(process.env['METRICS_BIND_ADDRESS']);
const probes = bindAddress(process.env['HEALTH_PROBE_BIND_ADDRESS']);
const manager = await Manager.create({
  logger: pino({ name: 'typerator-deployment-operator', level: process.env['LOG_LEVEL'] || 'info' }),
  leaderElection: {
    name: 'typerator-deployment-operator',
    namespace: process.env['POD_NAMESPACE'] || 'default',
  },
  ...(metrics.address !== undefined ? { metricsBindAddress: metrics.address } : {}),
  ...(probes.address !== undefined ? { healthProbeBindAddress: probes.address } : {}),
});
await setup(manager);
await manager.runUntilSignal();
