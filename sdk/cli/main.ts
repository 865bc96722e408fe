import { Command } from 'commander';
import { clusterCommand } from './cluster-command.ts';
import { rbacCommand } from './rbac-command.ts';

const program = new Command('typerator')
  .description('Typerator: a TypeScript operator SDK and CRD toolkit for Kubernetes')
  .showHelpAfterError();
program.addCommand(clusterCommand((code) => (process.exitCode = code)));
program.addCommand((await import('./crd-command.ts')).crdCommand((code) => (process.exitCode = code)));
program.addCommand(rbacCommand((code) => (process.exitCode = code)));
program.addCommand((await import('./rollout-command.ts')).rolloutCommand((c) => (process.exitCode = c)));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`typerator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
