// Which controllers reconcile the apps/v1 workloads (Deployment, ReplicaSet, StatefulSet) during a
// run of the upstream suite, and what kube-controller-manager is told for each.

/**
 * `built-in`: kube-controller-manager's own controllers (the reference run); `none`: no controller at
 * all (the control run: every judged spec must fail); `typerator`: our operators in drop-in mode.
 */
export type ControllersMode = 'built-in' | 'none' | 'typerator';

export const CONTROLLERS_MODES: readonly ControllersMode[] = ['typerator', 'built-in', 'none'];

export function isControllersMode(value: string): value is ControllersMode {
  return (CONTROLLERS_MODES as readonly string[]).includes(value);
}

/** kube-controller-manager keeps everything else (garbage collector, namespaces, volumes...). */
const WITHOUT_WORKLOAD_CONTROLLERS = '--controllers=*,-deployment,-replicaset,-statefulset';

/** Extra kube-controller-manager flags for a mode. */
export function controllerManagerArgs(mode: ControllersMode): string[] {
  return mode === 'built-in' ? [] : [WITHOUT_WORKLOAD_CONTROLLERS];
}

/** One line for the output, saying who reconciles the workloads. */
export function describeMode(mode: ControllersMode): string {
  switch (mode) {
    case 'built-in':
      return "kube-controller-manager's built-in deployment, replicaset and statefulset controllers (reference run)";
    case 'none':
      return 'no workload controller at all (control run: every judged spec must fail)';
    case 'typerator':
      return "Typerator's operators in drop-in mode, kube-controller-manager's workload controllers disabled";
  }
}
