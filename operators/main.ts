import { runOperators } from '../sdk/runner/run-operators.ts';
import { deploymentOperator } from './deployment/operator.ts';
import { statefulSetOperator } from './statefulset/operator.ts';
import { dropInOperator } from './drop-in.ts';
import { slaOperator } from './sla/operator.ts';

// Every example operator in one process, one manager: `node operators/main.ts --help` lists the
// flags (--operators deployment,statefulset,sla, --namespace, leader election, addresses, webhooks, logs)
// and the environment variable behind each. `--operators apps-v1` (never on by default) runs the
// same controllers for the built-in apps/v1 kinds, in place of kube-controller-manager's (drop-in mode).
await runOperators({
  name: 'typerator',
  operators: [deploymentOperator, statefulSetOperator, slaOperator, dropInOperator],
});
