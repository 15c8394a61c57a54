import type { Server, ServerResponse } from 'node:http';
import type { HttpServerTimeouts } from './config.ts';

/**
 * Bounds what a client can hold: the wait for its headers, for its whole request (a trickled body
 * gives up here), and an idle keep-alive connection.
 */
export function applyServerTimeouts(server: Server, timeouts: HttpServerTimeouts): void {
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  server.keepAliveTimeout = timeouts.keepAliveMs;
}

export interface Draining {
  /** From now on every response still to be sent says `Connection: close`. */
  start(): void;
  readonly active: boolean;
}

/**
 * While a server drains, the sockets of finished responses are closed. A response that said
 * `keep-alive` would let its client send the next request into a closing socket (ECONNRESET); one
 * that says `close` tells it to open a new connection, to a replica that still serves.
 */
export function closeConnectionsWhenDraining(server: Server): Draining {
  let active = false;
  const unsent = new Set<ServerResponse>();
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (active) return void res.setHeader('connection', 'close');
    unsent.add(res);
    res.once('close', () => unsent.delete(res));
  });
  return {
    start() {
      active = true;
      for (const res of unsent) if (!res.headersSent) res.setHeader('connection', 'close');
    },
    get active() {
      return active;
    },
  };
}

/** Resolves with `true` when `work` settles within `ms`, with `false` when the deadline comes first. */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true, () => true), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Rejects with `expired()` when `work` has not settled within `ms`. */
export async function within<T>(work: Promise<T>, ms: number, expired: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(expired()), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
