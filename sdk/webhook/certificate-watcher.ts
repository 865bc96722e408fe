import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { dirname, join } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { Logger } from 'pino';
import { WebhookCertificateError } from './errors.ts';

/** Where the serving certificate and its key are read from. */
export interface CertificateFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/** A certificate chain and key, PEM encoded, that form a valid pair. */
export interface ServingKeyPair {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** Options for {@link CertificateWatcher}. */
export interface CertificateWatcherOptions {
  /** Called with every new, valid pair. */
  readonly onChange: (pair: ServingKeyPair) => void;
  readonly logger: Logger;
  /** Quiet time after the last file event before reloading; cert and key are often written separately. */
  readonly debounceMs?: number;
  /** Fallback re-read for file systems whose events are unreliable; default 10 s, 0 disables. */
  readonly pollIntervalMs?: number;
}

/** The files of `certDir` as cert-manager and Kubernetes TLS secrets name them. */
export function certificateFilesIn(
  certDir: string,
  certName = 'tls.crt',
  keyName = 'tls.key',
): CertificateFiles {
  return { certFile: join(certDir, certName), keyFile: join(certDir, keyName) };
}

/** Reads the pair and proves the key matches the certificate. */
export function readServingKeyPair(files: CertificateFiles): ServingKeyPair {
  const paths = [files.certFile, files.keyFile];
  let pair: ServingKeyPair;
  try {
    pair = { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) };
  } catch (error) {
    throw new WebhookCertificateError(`cannot read the serving certificate: ${String(error)}`, paths, {
      cause: error,
    });
  }
  try {
    createSecureContext(pair);
  } catch (error) {
    throw new WebhookCertificateError(
      `the serving certificate and key are not a valid pair: ${String(error)}`,
      paths,
      { cause: error },
    );
  }
  return pair;
}

/**
 * Watches the folders of a certificate and key and reports each new valid pair. Watching the folder
 * rather than the files survives atomic renames and the symlink swaps of mounted Secrets. A
 * half-written pair (new cert, old key) fails validation and is retried on the next event.
 */
export class CertificateWatcher {
  private readonly files: CertificateFiles;
  private readonly options: CertificateWatcherOptions;
  private readonly watchers: FSWatcher[] = [];
  private current: ServingKeyPair | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;

  constructor(files: CertificateFiles, options: CertificateWatcherOptions) {
    this.files = files;
    this.options = options;
  }

  /** Loads the pair now (throws {@link WebhookCertificateError} if unusable) and starts watching. */
  start(): ServingKeyPair {
    this.current = readServingKeyPair(this.files);
    for (const folder of new Set([dirname(this.files.certFile), dirname(this.files.keyFile)])) {
      const watcher = watch(folder, { persistent: false }, () => {
        this.scheduleReload();
      });
      watcher.on('error', (error) => {
        this.options.logger.warn({ err: error, folder }, 'certificate folder watch failed; polling only');
      });
      this.watchers.push(watcher);
    }
    const pollIntervalMs = this.options.pollIntervalMs ?? 10_000;
    if (pollIntervalMs > 0) {
      this.poll = setInterval(() => {
        this.reload();
      }, pollIntervalMs);
      this.poll.unref();
    }
    return this.current;
  }

  stop(): void {
    for (const watcher of this.watchers.splice(0)) watcher.close();
    clearTimeout(this.debounce);
    clearInterval(this.poll);
  }

  private scheduleReload(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.reload();
    }, this.options.debounceMs ?? 100);
    this.debounce.unref();
  }

  private reload(): void {
    let pair: ServingKeyPair;
    try {
      pair = readServingKeyPair(this.files);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'serving certificate not reloaded; keeping the previous one');
      return;
    }
    if (this.current && pair.cert.equals(this.current.cert) && pair.key.equals(this.current.key)) return;
    this.current = pair;
    this.options.logger.info({ certFile: this.files.certFile }, 'serving certificate reloaded');
    this.options.onChange(pair);
  }
}
