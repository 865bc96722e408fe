// What can stop a conformance run before it judges anything, each with what to do about it.

/** e2e.test is missing and cannot be built because there is no Go toolchain. */
export class GoMissingError extends Error {
  override readonly name = 'GoMissingError';
  constructor() {
    super(
      'e2e.test is not built yet and building it needs Go (the go.dev toolchain, 1.24 or later), ' +
        'which is not on PATH: install Go, or run scripts/build-e2e.sh on a machine that has it',
    );
  }
}

/** scripts/build-e2e.sh failed; its log says why. */
export class E2eBuildError extends Error {
  override readonly name = 'E2eBuildError';
  readonly logFile: string;
  constructor(exitCode: number | null, logFile: string) {
    super(`building e2e.test failed (scripts/build-e2e.sh exited with ${String(exitCode)}); see ${logFile}`);
    this.logFile = logFile;
  }
}

/** ginkgo ended without writing its JSON report, so there is nothing to judge. */
export class GinkgoRunError extends Error {
  override readonly name = 'GinkgoRunError';
  readonly logFile: string;
  constructor(reason: string, logFile: string) {
    super(`ginkgo ${reason} and wrote no report; its output is in ${logFile}`);
    this.logFile = logFile;
  }
}

/** SIGINT or SIGTERM stopped the run before the suite finished. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
  constructor(logFile: string) {
    super(`interrupted before the suite finished; ginkgo's output so far is in ${logFile}`);
  }
}

/** The drop-in operator process ended or never became ready. */
export class OperatorProcessError extends Error {
  override readonly name = 'OperatorProcessError';
  readonly logFile: string;
  constructor(reason: string, logFile: string) {
    super(`the drop-in operator ${reason}; its log is ${logFile}`);
    this.logFile = logFile;
  }
}

/** The list of excluded specs cannot be read. */
export class SpecListError extends Error {
  override readonly name = 'SpecListError';
  constructor(file: string, reason: string) {
    super(`${file}: ${reason}`);
  }
}
