// `npm run image [-- --force]`: builds the operator image locally with podman from scratch
// (image/Containerfile.scratch), installing podman from Debian's packages when it is missing.
// The root filesystem holds the project's Node binary (stripped) and the shared libraries it links,
// /app as scripts/image/stage-app.ts makes it, a passwd entry for the non-root user and /tmp.
// A source hash label skips the build when nothing that goes into the image changed (--force
// builds anyway). Prints the image reference on stdout, progress and the image size on stderr.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writableCacheRoot } from '../../sdk/testing/cache-folder.ts';
import { podman, podmanEnvironment } from './podman.ts';
import { stageApp } from './stage-app.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const HASH_LABEL = 'dev.typerator.source-hash';
/** The non-root user the image runs as (the chart's podSecurityContext uses the same id). */
const USER_ID = 65532;

/** Everything whose change changes the image. */
const INPUTS = [
  'sdk',
  'operators',
  'image',
  'scripts/image',
  'scripts/build-package.ts',
  'scripts/compile-typescript.ts',
  'scripts/build-binaries.sh',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'README.md',
];

function sourceHash(): string {
  const hash = createHash('sha256');
  hash.update(process.version);
  const files = INPUTS.flatMap((input) => {
    const path = join(root, input);
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  }).sort();
  for (const file of files) hash.update(`\0${relative(root, file)}\0`).update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

/** The shared libraries `binary` links, and its program interpreter, as absolute paths. */
function sharedLibraries(binary: string): string[] {
  return execFileSync('ldd', [binary], { encoding: 'utf8' })
    .split('\n')
    .flatMap((line) => {
      const path = /=>\s*(\/\S+)/.exec(line)?.[1] ?? /^\s*(\/\S+)\s/.exec(line)?.[1];
      return path ? [path] : [];
    });
}

function copyInto(rootfs: string, path: string, target = path): void {
  const destination = join(rootfs, target);
  mkdirSync(dirname(destination), { recursive: true });
  copyFileSync(path, destination); // follows symlinks: the image gets the files themselves
}

function assembleRootfs(rootfs: string, log: (line: string) => void): void {
  const node = process.execPath;
  log(`Node ${process.version} from ${relative(root, node) || node}, stripped, and its shared libraries`);
  const nodeInImage = join(rootfs, 'usr/local/bin/node');
  mkdirSync(dirname(nodeInImage), { recursive: true });
  try {
    execFileSync('strip', ['-o', nodeInImage, node], { stdio: 'ignore' });
  } catch {
    copyFileSync(node, nodeInImage); // binutils missing: a bigger image, nothing worse
  }
  chmodSync(nodeInImage, 0o755);
  for (const library of sharedLibraries(node)) copyInto(rootfs, library);

  mkdirSync(join(rootfs, 'etc'), { recursive: true });
  writeFileSync(
    join(rootfs, 'etc/passwd'),
    `root:x:0:0:root:/root:/sbin/nologin\noperator:x:${USER_ID}:${USER_ID}:operator:/tmp:/sbin/nologin\n`,
  );
  writeFileSync(join(rootfs, 'etc/group'), `root:x:0:\noperator:x:${USER_ID}:\n`);
  mkdirSync(join(rootfs, 'tmp'));
  chmodSync(join(rootfs, 'tmp'), 0o1777);

  stageApp(join(rootfs, 'app'), log);
}

export interface BuiltImage {
  readonly reference: string;
  readonly sizeBytes: number;
  readonly built: boolean;
}

/** Builds (or finds up to date) the operator image; `podmanEnv` from {@link podmanEnvironment}. */
export function buildImage(options: { force?: boolean; log?: (line: string) => void } = {}): BuiltImage {
  const log = options.log ?? (() => {});
  const env = podmanEnvironment(log);
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const reference = `localhost/typerator/operators:${version}`;
  const hash = sourceHash();
  const inspect = () => {
    try {
      const [label, size] = podman(
        env,
        ['image', 'inspect', reference, '--format', `{{ index .Labels "${HASH_LABEL}" }} {{ .Size }}`],
        true,
      )
        .trim()
        .split(' ');
      return { label, size: Number(size) };
    } catch {
      return undefined;
    }
  };
  const existing = inspect();
  if (!options.force && existing?.label === hash) {
    log(`${reference} is up to date (source hash ${hash})`);
    return { reference, sizeBytes: existing.size, built: false };
  }

  const context = join(writableCacheRoot(), 'image', 'context');
  rmSync(context, { recursive: true, force: true });
  mkdirSync(context, { recursive: true });
  assembleRootfs(join(context, 'rootfs'), log);
  log(`podman build -f image/Containerfile.scratch -t ${reference}`);
  podman(env, [
    'build',
    '--quiet',
    '--file',
    join(root, 'image/Containerfile.scratch'),
    '--label',
    `${HASH_LABEL}=${hash}`,
    '--label',
    `org.opencontainers.image.version=${version}`,
    '--tag',
    reference,
    context,
  ]);
  rmSync(context, { recursive: true, force: true });
  const built = inspect();
  if (!built) throw new Error(`podman build finished but ${reference} is not in podman's image store`);
  return { reference, sizeBytes: built.size, built: true };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const log = (line: string) => console.error(`[image] ${line}`);
  const unknown = process.argv.slice(2).filter((arg) => arg !== '--force');
  if (unknown.length > 0) {
    console.error(`npm run image: unknown argument ${unknown.join(' ')}; usage: npm run image [-- --force]`);
    process.exit(2);
  }
  try {
    const image = buildImage({ force: process.argv.includes('--force'), log });
    log(`${image.reference}: ${(image.sizeBytes / 1024 / 1024).toFixed(1)} MiB`);
    console.log(image.reference);
  } catch (error) {
    console.error(`npm run image: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
