import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { WebhookRequestError } from './errors.ts';

/**
 * Reads a webhook request's body into one Buffer, inflating gzip or deflate, and refuses it with a
 * typed error the server turns into a status: 413 past `limitBytes` (counted after inflating, so a
 * small compressed body cannot expand without bound), 415 for another content encoding, 400 for a
 * body that does not inflate. A declared length over the limit is refused before reading.
 */
export function readRequestBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const tooLarge = () =>
    new WebhookRequestError(413, `request body is larger than the limit of ${limitBytes} bytes`);
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  let source: Readable;
  if (encoding === 'identity') {
    const declared = Number(request.headers['content-length']);
    if (declared > limitBytes) return Promise.reject(tooLarge());
    source = request;
  } else if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') {
    source = request.pipe(encoding === 'deflate' ? createInflate() : createGunzip());
  } else {
    return Promise.reject(
      new WebhookRequestError(
        415,
        `Content-Encoding ${JSON.stringify(encoding)} is not supported; send identity, gzip or deflate`,
      ),
    );
  }

  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let length = 0;
    let settled = false;
    const settle = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      source.off('data', onData);
      if (source !== request) source.destroy();
      if (error) reject(error);
      else resolve(parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, length));
    };
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length > limitBytes) settle(tooLarge());
      else parts.push(chunk);
    };
    source.on('data', onData);
    source.once('end', () => {
      settle(undefined);
    });
    // The client's doing, not the server's: refused (logged at debug), and nobody reads the answer.
    request.once('error', (error) => {
      settle(new WebhookRequestError(400, `request body could not be read: ${error.message}`));
    });
    request.once('close', () => {
      if (!request.complete)
        settle(new WebhookRequestError(400, 'the client closed the request before its body was complete'));
    });
    if (source !== request)
      source.once('error', (error) => {
        settle(
          new WebhookRequestError(400, `request body does not inflate as ${encoding}: ${error.message}`),
        );
      });
  });
}
