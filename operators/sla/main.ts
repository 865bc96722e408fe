import { runOperators } from '../../sdk/runner/run-operators.ts';
import { slaOperator } from './operator.ts';

// The SLA operator alone, holding the Lease typerator-sla-operator:
// `node operators/sla/main.ts --help` lists the flags and their environment variables.
await runOperators({ name: 'typerator-sla-operator', operators: [slaOperator] });
