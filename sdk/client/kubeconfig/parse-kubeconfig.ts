import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import type {
  ExecConfig,
  Kubeconfig,
  KubeconfigCluster,
  KubeconfigContext,
  KubeconfigUser,
} from './kubeconfig.ts';

type Fields = Readonly<Record<string, unknown>>;
type YamlModule = typeof import('yaml');

let yamlModule: YamlModule | undefined;
/**
 * The YAML parser, loaded on first use: an operator in a pod reads its service account and never
 * a kubeconfig file, and the parser's 72 modules cost it ~13 MiB of RSS.
 */
function yaml(): YamlModule {
  yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule;
  return yamlModule;
}

/** Whether `error` is the YAML parser's (false when the parser was never loaded). */
export function isYamlError(error: unknown): boolean {
  return yamlModule !== undefined && error instanceof yamlModule.YAMLError;
}

const EXEC_EXTENSION = 'client.authentication.k8s.io/exec';

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string field, or nothing: null and empty strings mean unset, as in kubectl. */
function text(fields: Fields, key: string): string | undefined {
  const value = fields[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
    throw new Error(`${key} must be a string`);
  return String(value);
}

function strings(value: unknown, where: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new Error(`${where} must be a list of strings`);
  return value.map(String);
}

/** Only the fields that are set, so the result satisfies exactOptionalPropertyTypes. */
function defined<T extends object>(fields: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}

/** Named entries (`- name: x` + `<key>: {...}`) of a top-level list. */
function entries(document: Fields, list: string, key: string): { name: string; body: Fields }[] {
  const items = document[list];
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items)) throw new Error(`${list} must be a list`);
  return items.map((item: unknown, index) => {
    if (!isFields(item) || !text(item, 'name')) throw new Error(`${list}[${index}].name is missing`);
    const body = item[key];
    if (body !== undefined && body !== null && !isFields(body))
      throw new Error(`${list}[${index}].${key} must be a mapping`);
    return { name: String(item['name']), body: body ?? {} };
  });
}

/**
 * Parses one kubeconfig file's text. Relative paths in it (CA, certificate, key, token file, and an
 * exec command with a slash) are resolved against `folder`, the file's folder, as kubectl does.
 * Throws the YAML parser's error, or an Error naming the malformed entry.
 */
export function parseKubeconfig(yamlText: string, folder: string): Kubeconfig {
  const document: unknown = yaml().parse(yamlText);
  // Like client-node, YAML that is no mapping (a word, an empty file) defines nothing.
  if (!isFields(document)) return { clusters: [], users: [], contexts: [] };
  const path = (value: string | undefined) =>
    value === undefined || isAbsolute(value) ? value : resolve(folder, value);

  const clusters = entries(document, 'clusters', 'cluster').map(({ name, body }, index) => {
    const server = text(body, 'server');
    if (!server) throw new Error(`clusters[${index}].cluster.server is missing`);
    const extensions = Array.isArray(body['extensions']) ? (body['extensions'] as unknown[]) : [];
    const execExtension = extensions.find((item) => isFields(item) && item['name'] === EXEC_EXTENSION);
    return defined<KubeconfigCluster>({
      name,
      server: server.replace(/\/$/, ''),
      certificateAuthority: path(text(body, 'certificate-authority')),
      certificateAuthorityData: text(body, 'certificate-authority-data'),
      insecureSkipTlsVerify: body['insecure-skip-tls-verify'] === true || undefined,
      tlsServerName: text(body, 'tls-server-name'),
      proxyUrl: text(body, 'proxy-url'),
      execExtension: isFields(execExtension) ? execExtension['extension'] : undefined,
    });
  });

  const users = entries(document, 'users', 'user').map(({ name, body }, index) =>
    defined<KubeconfigUser>({
      name,
      clientCertificate: path(text(body, 'client-certificate')),
      clientCertificateData: text(body, 'client-certificate-data'),
      clientKey: path(text(body, 'client-key')),
      clientKeyData: text(body, 'client-key-data'),
      token: text(body, 'token'),
      tokenFile: path(text(body, 'tokenFile') ?? text(body, 'token-file')),
      username: text(body, 'username'),
      password: text(body, 'password'),
      exec: execConfig(body['exec'], `users[${index}].user.exec`, folder),
      authProvider: authProvider(body['auth-provider'], `users[${index}].user.auth-provider`),
      impersonate: text(body, 'as'),
      impersonateUid: text(body, 'as-uid'),
      impersonateGroups: strings(body['as-groups'], `users[${index}].user.as-groups`),
      impersonateExtra: isFields(body['as-user-extra'])
        ? Object.fromEntries(
            Object.entries(body['as-user-extra']).map(([key, values]) => [
              key,
              strings(values, `users[${index}].user.as-user-extra.${key}`) ?? [],
            ]),
          )
        : undefined,
    }),
  );

  const contexts = entries(document, 'contexts', 'context').map(({ name, body }, index) => {
    const cluster = text(body, 'cluster');
    if (!cluster) throw new Error(`contexts[${index}].context.cluster is missing`);
    return defined<KubeconfigContext>({
      name,
      cluster,
      user: text(body, 'user'),
      namespace: text(body, 'namespace'),
    });
  });

  return defined<Kubeconfig>({
    clusters,
    users,
    contexts,
    currentContext: text(document, 'current-context'),
  });
}

function execConfig(value: unknown, where: string, folder: string): ExecConfig | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isFields(value)) throw new Error(`${where} must be a mapping`);
  const command = text(value, 'command');
  if (!command) throw new Error(`${where}.command is missing`);
  const env = value['env'];
  if (env !== undefined && env !== null && !Array.isArray(env))
    throw new Error(`${where}.env must be a list of name/value pairs`);
  return defined<ExecConfig>({
    apiVersion: text(value, 'apiVersion') ?? '',
    // A bare name is looked up on PATH; a relative path is relative to the kubeconfig, as in kubectl.
    command: command.includes('/') && !isAbsolute(command) ? resolve(folder, command) : command,
    args: strings(value['args'], `${where}.args`),
    env: Array.isArray(env)
      ? env.map((item: unknown, index) => {
          if (!isFields(item) || !text(item, 'name'))
            throw new Error(`${where}.env[${index}].name is missing`);
          return { name: String(item['name']), value: text(item, 'value') ?? '' };
        })
      : undefined,
    provideClusterInfo: value['provideClusterInfo'] === true || undefined,
    interactiveMode: text(value, 'interactiveMode'),
    installHint: text(value, 'installHint'),
  });
}

function authProvider(value: unknown, where: string): KubeconfigUser['authProvider'] {
  if (value === undefined || value === null) return undefined;
  if (!isFields(value) || !text(value, 'name')) throw new Error(`${where}.name is missing`);
  return defined<NonNullable<KubeconfigUser['authProvider']>>({
    name: String(value['name']),
    config: isFields(value['config']) ? { ...value['config'] } : undefined,
  });
}
