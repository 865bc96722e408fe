import { runOperators } from '../../sdk/runner/run-operators.ts';
import { deploymentOperator } from './operator.ts';

// The Deployment operator alone, holding the Lease typerator-deployment-operator (the chart runs
// operators/main.ts instead, with a Lease named after the release):
// `node operators/deployment/main.ts --help` lists the flags and their environment variables.
await runOperators({ name: 'typerator-deployment-operator', operators: [deploymentOperator] });
