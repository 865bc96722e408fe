import { Manager } from '../../sdk/manager/manager.ts';
import { setup } from './operator.ts';

// Runs the Deployment operator: a Manager from KUBECONFIG, ~/.kube/config or the in-cluster
// service account, with leader election so only one replica reconciles, until SIGTERM or SIGINT.
//
//   node operators/deployment/main.ts
//
// POD_NAMESPACE (from the downward API) places the Lease; default "default".
// DEPLOYMENT_OPERATOR_WEBHOOK_CERT_DIR turns the admission webhooks on (see operator.ts).

const manager = await Manager.create({
  leaderElection: {
    name: 'typerator-deployment-operator',
    namespace: process.env['POD_NAMESPACE'] || 'default',
  },
});
await setup(manager);
await manager.runUntilSignal();
