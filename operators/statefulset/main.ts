import { runOperator } from '../../sdk/manager/run-operator.ts';
import { setup } from './operator.ts';

// Runs the StatefulSet operator: a Manager from KUBECONFIG, ~/.kube/config or the in-cluster
// service account, with leader election so only one replica reconciles, until SIGTERM or SIGINT.
//
//   node operators/statefulset/main.ts
//
// POD_NAMESPACE (from the downward API) places the Lease; default "default".
// METRICS_BIND_ADDRESS / HEALTH_PROBE_BIND_ADDRESS: host:port, or "off"; default :8080 / :8081.
// LOG_LEVEL: pino's level (debug logs every reconcile); default info.
// WATCH_NAMESPACE: watch one namespace only; default all.
// STATEFULSET_OPERATOR_WEBHOOK_CERT_DIR turns the admission webhooks on (see operator.ts).
//
// A malformed variable, an unusable kubeconfig, an unreachable apiserver, missing RBAC or CRDs, or a
// port in use ends the process with one log line naming the cause and the fix, and exit code 1.

await runOperator('typerator-statefulset-operator', setup);
