import type { IncomingMessage } from 'node:http';
import { Observable } from 'rxjs';
import { apiErrorFrom, type StatusBody } from './errors.ts';
import type { HttpRequest, Transport } from './transport.ts';

/** One event of a watch. BOOKMARK carries only a resourceVersion; ERROR is turned into an error. */
export interface WatchEvent<T> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  readonly object: T;
}

/** The watch delivered nothing, not even a bookmark, for longer than its idle limit. */
export class WatchStalledError extends Error {
  override readonly name = 'WatchStalledError';
  constructor(path: string, idleMs: number) {
    super(`watch ${path} delivered nothing for ${idleMs} ms; treating the connection as dead`);
  }
}

/**
 * One HTTP watch as a cold Observable: each subscription opens the request, emits its events in
 * order, completes when the server ends the stream (e.g. at timeoutSeconds), and errors with a typed
 * error on an ERROR event (410 Gone → GoneError), a broken connection, or `idleMs` of silence.
 * Unsubscribing closes the connection.
 */
export function watchStream<T>(
  transport: Transport,
  request: HttpRequest,
  idleMs: number,
): Observable<WatchEvent<T>> {
  return new Observable<WatchEvent<T>>((subscriber) => {
    const abort = new AbortController();
    let idleTimer: NodeJS.Timeout | undefined;
    let response: IncomingMessage | undefined;
    let stalled: WatchStalledError | undefined;
    // Armed before the request too: a server that accepts the connection but never answers is as
    // dead as one that goes silent mid-stream.
    const armIdleTimer = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        stalled = new WatchStalledError(request.path, idleMs);
        if (response) response.destroy(stalled);
        else abort.abort(stalled);
      }, idleMs);
    };
    const run = async () => {
      armIdleTimer();
      response = await transport.stream({ ...request, signal: abort.signal });
      response.socket.setKeepAlive(true, 15_000);
      response.setEncoding('utf8');
      armIdleTimer();
      let pending = '';
      for await (const chunk of response) {
        armIdleTimer();
        pending += chunk as string;
        let start = 0;
        for (let end = pending.indexOf('\n', start); end >= 0; end = pending.indexOf('\n', start)) {
          const line = pending.slice(start, end);
          start = end + 1;
          if (line.trim() === '') continue;
          const event = JSON.parse(line) as { type: string; object: unknown };
          if (event.type === 'ERROR') {
            const status = event.object as StatusBody;
            subscriber.error(
              apiErrorFrom(status.code ?? 500, status, { method: 'WATCH', path: request.path }),
            );
            return;
          }
          subscriber.next(event as WatchEvent<T>);
          if (subscriber.closed) return;
        }
        pending = pending.slice(start);
      }
      subscriber.complete();
    };
    run()
      .catch((error: unknown) => {
        if (stalled) subscriber.error(stalled);
        else if (!abort.signal.aborted) subscriber.error(error);
      })
      .finally(() => clearTimeout(idleTimer));
    return () => {
      clearTimeout(idleTimer);
      abort.abort();
      response?.destroy();
    };
  });
}
