import { SetupError } from '../errors/setup-error.ts';

/**
 * A request the webhook server refuses before any handler sees it: malformed JSON, a review of the
 * wrong apiVersion or kind, a missing `request.uid`, a body that is too large. Answered with
 * `statusCode` and the message as plain text.
 */
export class WebhookRequestError extends Error {
  override readonly name = 'WebhookRequestError';
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super(message);
    this.statusCode = statusCode;
  }
}

/** A handler did not settle within its time budget. */
export class WebhookHandlerTimeoutError extends Error {
  override readonly name = 'WebhookHandlerTimeoutError';
  readonly timeoutMs: number;
  constructor(webhookPath: string, timeoutMs: number) {
    super(`webhook handler ${webhookPath} did not answer within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** Registering a handler failed, e.g. because its path is already taken. */
export class WebhookRegistrationError extends Error {
  override readonly name = 'WebhookRegistrationError';
}

/** The serving certificate or key could not be loaded: a set-up mistake, reported as one line. */
export class WebhookCertificateError extends SetupError {
  override readonly name = 'WebhookCertificateError';
  readonly files: readonly string[];
  constructor(message: string, files: readonly string[], options?: ErrorOptions) {
    super(message, options);
    this.files = files;
  }
}

/** A converter could not convert an object to the desired version. */
export class ConversionError extends Error {
  override readonly name = 'ConversionError';
}
