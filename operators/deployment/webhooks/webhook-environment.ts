// How an operator's entry point turns its webhook server on from the environment: a certificate
// folder turns it on, a port variable moves it. Each operator names its own variables, so several
// can run side by side. Processes started by the runner (operators/main.ts, typerator run) have
// --webhook-cert-dir / WEBHOOK_CERT_DIR for all their operators at once; these stay for one-operator
// deployments (the Deployment operator's chart sets them).
import { SetupError } from '../../../sdk/errors/setup-error.ts';

/** The environment variables an operator reads its webhook settings from. */
export interface WebhookEnvironmentVariables {
  /** Names the folder with the serving pair (tls.crt, tls.key); webhooks are off without it. */
  readonly certDir: string;
  /** The port to listen on; the server's default (9443) without it. */
  readonly port: string;
}

/** Where the webhook server listens and which certificate folder it serves from. */
export interface WebhookEnvironmentOptions {
  readonly certDir: string;
  readonly port?: number;
}

/** A port number from the environment, refused with a message naming the variable when malformed (one line). */
function portFrom(text: string | undefined, variable: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new SetupError(`${variable}: ${JSON.stringify(text)} is not a port number (0-65535)`);
  return port;
}

/**
 * The webhook options the environment asks for, or undefined when the certificate variable is
 * unset or empty (webhooks off). Throws, naming the variable, when the port is not a port number.
 */
export function webhookOptionsFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  variables: WebhookEnvironmentVariables,
): WebhookEnvironmentOptions | undefined {
  const certDir = env[variables.certDir];
  if (certDir === undefined || certDir === '') return undefined;
  const port = portFrom(env[variables.port], variables.port);
  return { certDir, ...(port !== undefined ? { port } : {}) };
}

/** `{ webhooks }` when the environment turns an operator's webhooks on, else `{}`: its setup options. */
export function webhookOperatorOptions(
  env: Readonly<Record<string, string | undefined>>,
  variables: WebhookEnvironmentVariables,
): { readonly webhooks?: WebhookEnvironmentOptions } {
  const webhooks = webhookOptionsFromEnvironment(env, variables);
  return webhooks ? { webhooks } : {};
}

/**
 * The webhook options an operator's setup serves with: those it was given, else the manager's own
 * server (`{}`) when the manager serves webhooks (under `typerator dev`, or the runner's
 * --webhook-cert-dir), else none (webhooks off).
 */
export function webhooksToServe<T extends object>(
  given: T | undefined,
  manager: { readonly servesWebhooks: boolean },
): T | Record<string, never> | undefined {
  return given ?? (manager.servesWebhooks ? {} : undefined);
}
