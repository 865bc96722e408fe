import { dirname } from 'node:path';
import { Command } from 'commander';
import { buildCacheFolder, resolveBinary } from '../testing/binaries.ts';
import { runningCluster } from './cluster-state.ts';

const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

/**
 * `typerator env`: shell exports that put the matching kubectl and helm first on PATH and point
 * KUBECONFIG at the running local cluster, for `eval "$(npx typerator env)"`. Only the exports go
 * to stdout.
 */
export function envCommand(setExitCode: (code: number) => void): Command {
  return new Command('env')
    .description('print the exports for kubectl and helm beside a local cluster: eval "$(npx typerator env)"')
    .option('--name <name>', 'the local cluster (default: the `typerator dev` one, else `cluster up`’s)')
    .action((options: { name?: string }) => {
      // Where kubectl and helm really are: TEST_ASSET_*, KUBEBUILDER_ASSETS or the build cache.
      let folders: string[];
      try {
        folders = [...new Set([dirname(resolveBinary('kubectl')), dirname(resolveBinary('helm'))])];
      } catch {
        folders = [buildCacheFolder()];
        process.stderr.write(`typerator env: kubectl and helm are not built yet; run \`npm run binaries\`\n`);
      }
      process.stdout.write(`export PATH=${folders.map(quote).join(':')}:"$PATH"\n`);
      const names = options.name ? [options.name] : ['dev', 'default'];
      const cluster = names.map(runningCluster).find((record) => record !== undefined);
      if (cluster) process.stdout.write(`export KUBECONFIG=${quote(cluster.kubeconfig)}\n`);
      else
        process.stderr.write(
          `typerator env: no local cluster ${options.name ? `named "${options.name}" ` : ''}is running (start one with \`npm start\` or \`npx typerator cluster up\`); KUBECONFIG left as it is\n`,
        );
      setExitCode(0);
    });
}
