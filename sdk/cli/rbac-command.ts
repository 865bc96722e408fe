import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { Command } from 'commander';
import { pino } from 'pino';
import { Manager } from '../manager/manager.ts';
import { clusterRole, roleYaml } from '../rbac/role-manifest.ts';

/** An operator module: exports `setup(manager)`, which registers its controllers. */
interface OperatorModule {
  readonly setup?: (manager: Manager) => void | Promise<void>;
  readonly default?: (manager: Manager) => void | Promise<void>;
}

/** A KubeConfig that is never contacted: generation only records what setup() declares. */
function offlineKubeConfig(): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'offline', server: 'https://127.0.0.1:1', skipTLSVerify: false }],
    users: [{ name: 'offline', token: 'offline' }],
    contexts: [{ name: 'offline', cluster: 'offline', user: 'offline' }],
    currentContext: 'offline',
  });
  return kubeConfig;
}

/** Loads an operator module and returns its ClusterRole as YAML. */
export async function generateRbacYaml(entry: string, roleName: string): Promise<string> {
  const path = resolve(entry);
  if (!existsSync(path)) throw new Error(`${entry}: no such file`);
  const module = (await import(pathToFileURL(path).href)) as OperatorModule;
  const setup = module.setup ?? module.default;
  if (typeof setup !== 'function')
    throw new Error(`${entry}: the module must export a function \`setup(manager)\` (named or default)`);
  const manager = await Manager.create({
    kubeConfig: offlineKubeConfig(),
    metricsBindAddress: false,
    healthProbeBindAddress: false,
    logger: pino({ level: 'silent' }),
  });
  try {
    await setup(manager);
    const { rules, guessedPlurals } = manager.rbacRules();
    return roleYaml(clusterRole(roleName, rules), guessedPlurals);
  } finally {
    manager.client.close();
  }
}

/** `typerator rbac generate`. */
export function rbacCommand(setExitCode: (code: number) => void): Command {
  const rbac = new Command('rbac').description('RBAC rules derived from what controllers watch and write');
  rbac
    .command('generate')
    .description('write a ClusterRole for an operator module that exports setup(manager)')
    .requiredOption('--entry <file>', 'the operator module (exports setup(manager))')
    .option('--name <name>', 'ClusterRole name', 'typerator-operator')
    .option('--out <file>', 'write here instead of stdout')
    .option('--check', 'exit 1 if --out differs from what would be generated')
    .action(async (options: { entry: string; name: string; out?: string; check?: boolean }) => {
      const yaml = await generateRbacYaml(options.entry, options.name);
      if (!options.out) {
        process.stdout.write(yaml);
        setExitCode(0);
        return;
      }
      const current = existsSync(options.out) ? readFileSync(options.out, 'utf8') : undefined;
      if (options.check) {
        const stale = current !== yaml;
        process.stderr.write(
          stale
            ? `${options.out} is stale: run typerator rbac generate --entry ${options.entry} --out ${options.out}\n`
            : `${options.out} is up to date\n`,
        );
        setExitCode(stale ? 1 : 0);
        return;
      }
      mkdirSync(dirname(options.out), { recursive: true });
      writeFileSync(options.out, yaml);
      process.stderr.write(`wrote ${options.out}\n`);
      setExitCode(0);
    });
  return rbac;
}
