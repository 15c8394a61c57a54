import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { HttpServerTimeouts } from './env.ts';

/**
 * An HTTP server that bounds what a client can hold: the wait for its headers, for its whole
 * request (a trickled body is answered 408 here), and an idle keep-alive connection. Node checks
 * the first two only every `connectionsCheckingInterval` (30 s by default): once a second here.
 */
export function createBoundedServer(listener: RequestListener, timeouts: HttpServerTimeouts): Server {
  return createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs),
    },
    listener,
  );
}

/** Resolves once `server` listens; rejects with the listen error (a port in use) instead of emitting it. */
export function listen(server: Server, port: number, host?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
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
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      deadline,
    ]);
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
