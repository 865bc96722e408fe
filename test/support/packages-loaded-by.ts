import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Runs `body` (an ES module's statements) in a fresh Node process whose module hooks record every
 * loaded URL under node_modules/`packageName`/, and returns those URLs: proof that a code path
 * never loads a dependency. The process runs in the repository, so `body` may import its files.
 */
export async function packageUrlsLoadedBy(
  packageName: string,
  body: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string[]> {
  const script = `
    import { registerHooks } from 'node:module';
    const loaded = [];
    // Sync hooks see import() and require() alike.
    registerHooks({
      load(url, context, next) {
        if (url.includes(${JSON.stringify(`/node_modules/${packageName}/`)})) loaded.push(url);
        return next(url, context);
      },
    });
    ${body}
    process.stdout.write(JSON.stringify(loaded));
    process.exit(0);
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    env,
  });
  return JSON.parse(stdout) as string[];
}
