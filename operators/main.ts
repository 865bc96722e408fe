import { runOperators } from '../sdk/runner/run-operators.ts';
import { deploymentOperator } from './deployment/operator.ts';
import { statefulSetOperator } from './statefulset/operator.ts';

// Every example operator in one process, one manager: `node operators/main.ts --help` lists the
// flags (--operators deployment,statefulset, --namespace, leader election, addresses, webhooks, logs)
// and the environment variable behind each.
await runOperators({ name: 'typerator', operators: [deploymentOperator, statefulSetOperator] });
