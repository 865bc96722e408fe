/** A binary the control plane needs could not be found. */
export class BinaryNotFoundError extends Error {
  override readonly name = 'BinaryNotFoundError';
  readonly binary: string;
  readonly searched: readonly string[];
  constructor(binary: string, searched: readonly string[]) {
    super(
      `cannot find the ${binary} binary (looked in: ${searched.join(', ')}); ` +
        `run \`npm run binaries\` to build it, or point KUBEBUILDER_ASSETS or ` +
        `TEST_ASSET_${binary.toUpperCase().replaceAll('-', '_')} at an existing one`,
    );
    this.binary = binary;
    this.searched = searched;
  }
}

/** A control-plane component failed to start; carries the tail of its log. */
export class ControlPlaneStartError extends Error {
  override readonly name = 'ControlPlaneStartError';
  readonly component: string;
  readonly logFile: string;
  readonly logTail: string;
  constructor(component: string, reason: string, logFile: string, logTail: string) {
    super(`${component} failed to start: ${reason}\n--- last lines of ${logFile} ---\n${logTail}`);
    this.component = component;
    this.logFile = logFile;
    this.logTail = logTail;
  }
}

/** The test Prometheus server failed to start or restart; carries the tail of its log. */
export class PrometheusStartError extends Error {
  override readonly name = 'PrometheusStartError';
  readonly logFile: string;
  readonly logTail: string;
  constructor(reason: string, logFile: string, logTail: string) {
    super(`prometheus failed to start: ${reason}\n--- last lines of ${logFile} ---\n${logTail}`);
    this.logFile = logFile;
    this.logTail = logTail;
  }
}

/** An operator container could not be started or did not become ready; the message holds its log. */
export class OperatorContainerError extends Error {
  override readonly name = 'OperatorContainerError';
}

/** A control-plane feature that the k3s runtime cannot offer (a component's process, etcd's URL). */
export class UnsupportedOnK3sError extends Error {
  override readonly name = 'UnsupportedOnK3sError';
  constructor(feature: string, reason: string) {
    super(`${feature} is not available with runtime 'k3s': ${reason}; use the local runtime for it`);
  }
}
