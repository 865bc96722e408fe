import { runOperators } from '../../sdk/runner/run-operators.ts';
import { statefulSetOperator } from './operator.ts';

// The StatefulSet operator alone, holding the Lease typerator-statefulset-operator:
// `node operators/statefulset/main.ts --help` lists the flags and their environment variables.
await runOperators({ name: 'typerator-statefulset-operator', operators: [statefulSetOperator] });
