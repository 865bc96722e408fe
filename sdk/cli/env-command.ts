import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { buildCacheFolder } from '../testing/binaries.ts';
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
      const bin = buildCacheFolder();
      if (!existsSync(bin))
        process.stderr.write(
          `typerator env: ${bin} has no binaries yet; run \`npm run binaries\` to build them\n`,
        );
      process.stdout.write(`export PATH=${quote(bin)}:"$PATH"\n`);
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
