import { Command } from 'commander';

type SetExitCode = (code: number) => void;

// Each subcommand loads its own dependencies (the CRD generator loads TypeScript, rollout loads the
// client), so only the one being run is imported; help lists them all.
const subcommands: Record<string, (setExitCode: SetExitCode) => Promise<Command>> = {
  cluster: async (exit) => (await import('./cluster-command.ts')).clusterCommand(exit),
  crd: async (exit) => (await import('./crd-command.ts')).crdCommand(exit),
  rbac: async (exit) => (await import('./rbac-command.ts')).rbacCommand(exit),
  rollout: async (exit) => (await import('./rollout-command.ts')).rolloutCommand(exit),
};

const program = new Command('typerator')
  .description('Typerator: a TypeScript operator SDK and CRD toolkit for Kubernetes')
  .showHelpAfterError();
const setExitCode: SetExitCode = (code) => (process.exitCode = code);
const requested = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
const load = requested !== undefined && requested in subcommands ? [requested] : Object.keys(subcommands);
for (const name of load) {
  const create = subcommands[name];
  if (create) program.addCommand(await create(setExitCode));
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`typerator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
