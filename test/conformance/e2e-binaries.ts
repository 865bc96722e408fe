// The upstream suite's binaries (e2e.test and the ginkgo CLI), built by scripts/build-e2e.sh into
// Typerator's cache on first need.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { E2eBuildError, GoMissingError } from './errors.ts';

const BUILD_SCRIPT = fileURLToPath(new URL('../../scripts/build-e2e.sh', import.meta.url));
/** build-e2e.sh's exit status when Go is not on PATH. */
const GO_MISSING = 2;

export interface E2eBinaries {
  /** The compiled suite, `k8s.io/kubernetes/test/e2e` as a test binary. */
  readonly e2eTest: string;
  /** The ginkgo CLI, which runs the suite's specs in parallel processes. */
  readonly ginkgo: string;
}

function scriptOutput(flag: '--print' | '--print-log'): string {
  return execFileSync('bash', [BUILD_SCRIPT, flag], { encoding: 'utf8' }).trim();
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The paths of e2e.test and ginkgo, building them first when the cache lacks them (about 11 minutes
 * on 2 cores; the script's progress goes to this process's stderr).
 */
export async function ensureE2eBinaries(): Promise<E2eBinaries> {
  const folder = scriptOutput('--print');
  const binaries = { e2eTest: join(folder, 'e2e.test'), ginkgo: join(folder, 'ginkgo') };
  if (isExecutable(binaries.e2eTest) && isExecutable(binaries.ginkgo)) return binaries;
  const build = spawn('bash', [BUILD_SCRIPT], { stdio: ['ignore', 'ignore', 'inherit'] });
  const [code] = (await once(build, 'exit')) as [number | null];
  if (code === GO_MISSING) throw new GoMissingError();
  if (code !== 0 || !isExecutable(binaries.e2eTest) || !isExecutable(binaries.ginkgo))
    throw new E2eBuildError(code, scriptOutput('--print-log'));
  return binaries;
}
