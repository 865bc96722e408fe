import type { Logger } from 'pino';
import type { Manager } from '../manager/manager.ts';
import type { RunSettings } from './run-settings.ts';

/** What a registered operator is told when the runner sets it up. */
export interface OperatorContext {
  /** The name it is registered under (as `--operators` spells it). */
  readonly name: string;
  /** The settings the process runs with: watched namespace, leader election, webhooks, ... */
  readonly settings: RunSettings;
  /** The manager's logger with `operator: <name>`. */
  readonly logger: Logger;
}

/**
 * An operator as the runner knows it: a name to select it by, and the function that registers its
 * controllers (and webhooks, when `manager.servesWebhooks`) on the process's one manager.
 *
 * @example
 * export const widgetOperator: Operator = { name: 'widgets', setup: (manager) => setup(manager) };
 */
export interface Operator {
  /** Letters, digits, ".", "_" and "-"; unique among the operators of a process. */
  readonly name: string;
  /**
   * Runs only when `--operators` names it, never by default: for modes that must not run
   * unannounced, such as reconciling built-in kinds in place of kube-controller-manager.
   */
  readonly optIn?: boolean;
  setup(manager: Manager, context: OperatorContext): void | Promise<void>;
}

/** What an operator name may contain: `--operators` separates names with commas. */
export const OPERATOR_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
