import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** TLS material for probing a component that serves HTTPS. */
export interface ProbeTls {
  readonly ca: string;
  readonly cert?: string;
  readonly key?: string;
}

/** GETs `url` and resolves with the status code and body; rejects on connection errors. */
export async function probe(url: string, tls?: ProbeTls): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(target, { method: 'GET', timeout: 5_000, ...(tls ?? {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within 5 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** True when `url` answers 200. */
export async function isHealthy(url: string, tls?: ProbeTls): Promise<boolean> {
  return (await probe(url, tls)).status === 200;
}
