import { AsyncLocalStorage } from 'node:async_hooks';
import { Agent, request, type IncomingMessage, type RequestOptions } from 'node:http';
import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import { clientSpan, tracingActive } from '#platform';
import type { GatewayTimeouts } from '../config.ts';
import { BufferedResponse, ResponseHeaders } from './bufferedResponse.ts';

/** The signal that ends the subgraph fetch now running, set per fetch by `withFetchBudget`. */
const currentSignal = new AsyncLocalStorage<AbortSignal>();

export interface SubgraphHttpClient {
  /** What each subgraph's data source fetches with (the metrics wrapper goes around it). */
  readonly fetcher: Fetcher;
  close(): Promise<void>;
}

/** A deadline passed: the connection was not made in time, or the fetch ran out of its budget. */
class FetchTimeout extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * One keep-alive connection pool per subgraph origin, bounded, with a deadline on every phase: a
 * subgraph that accepts TCP and never answers costs a bounded number of sockets for a bounded
 * time. Fetches go through Node's own HTTP client, whose parser is native: undici's (WebAssembly,
 * with a copy of every chunk) left the gateway's allocator about 30 MB larger after a minute of
 * traffic, memory it never handed back (docs/performance.md). Redirects are not followed.
 */
export function createSubgraphHttpClient(timeouts: Pick<GatewayTimeouts, 'subgraphMs' | 'upstream'>): SubgraphHttpClient {
  const pools = new Pools(timeouts.upstream);
  const send = sender(pools, timeouts.upstream.connectMs, tracingActive() ? clientSpan : undefined);
  // A fetch with no budget of its own (none is, in practice) still ends by the subgraph limit.
  const fetcher: Fetcher = (url, init = {}) =>
    send(url, init, currentSignal.getStore() ?? AbortSignal.timeout(timeouts.subgraphMs));
  return { fetcher, close: async () => pools.close() };
}

type Send = (options: RequestOptions) => ReturnType<typeof request>;

/** The http: pool, and the https: one made (and node:https loaded) only for a subgraph behind TLS. */
class Pools {
  private readonly plain: Agent;
  private secure?: { agent: Agent; request: Send };

  constructor(private readonly upstream: GatewayTimeouts['upstream']) {
    this.plain = new Agent(this.agentOptions());
  }

  pick(protocol: 'http:' | 'https:'): { agent: Agent; request: Send } {
    if (protocol === 'http:') return { agent: this.plain, request };
    if (!this.secure) {
      const https = process.getBuiltinModule('node:https');
      this.secure = { agent: new https.Agent(this.agentOptions()), request: https.request };
    }
    return this.secure;
  }

  close(): void {
    this.plain.destroy();
    this.secure?.agent.destroy();
  }

  private agentOptions() {
    return {
      keepAlive: true,
      maxSockets: this.upstream.connectionsPerOrigin,
      // An idle pooled connection is closed after this long.
      timeout: this.upstream.keepAliveMs,
      scheduling: 'lifo' as const,
    };
  }
}

/** One fetch: the request sent whole, the answer read whole, all of it ended by `signal`. */
function sender(pools: Pools, connectMs: number, spans: typeof clientSpan | undefined) {
  return (url: string, init: FetcherRequestInit, signal: AbortSignal) =>
    new Promise<FetcherResponse>((resolve, reject) => {
      const { protocol, host, port, path } = target(url);
      const method = init.method ?? 'GET';
      const headers: Record<string, string> = { ...init.headers };
      const span = spans?.(method, url, { host, port }, headers);
      if (signal.aborted) {
        span?.failed(signal.reason);
        return reject(abortedBy(signal));
      }
      const pool = pools.pick(protocol);
      const outgoing = pool.request({ agent: pool.agent, host, port, path, method, headers });
      const onAbort = () => outgoing.destroy(abortedBy(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      const fail = (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        span?.failed(error);
        reject(error);
      };
      outgoing.once('socket', (socket) => {
        if (!socket.connecting) return;
        const timer = setTimeout(() => outgoing.destroy(new FetchTimeout(`no connection within ${connectMs} ms`)), connectMs);
        socket.once('connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      });
      // `on`, not `once`: a second error (a reset after an abort) must not go unhandled.
      outgoing.on('error', fail);
      outgoing.once('response', (incoming) =>
        readWhole(incoming).then((body) => {
          signal.removeEventListener('abort', onAbort);
          span?.answered(incoming.statusCode!);
          resolve(new BufferedResponse(url, incoming.statusCode!, new ResponseHeaders(incoming.headers), body));
        }, fail),
      );
      outgoing.end(init.body);
    });
}

/** The whole body as text; a body cut short (aborted by the deadline, or reset) rejects. */
function readWhole(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    incoming.setEncoding('utf8');
    incoming.on('data', (chunk: string) => (body += chunk));
    incoming.once('end', () => resolve(body));
    incoming.on('error', reject);
    incoming.once('close', () => incoming.complete || reject(new Error('the subgraph closed the connection mid-answer')));
  });
}

function abortedBy(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new FetchTimeout('the fetch was aborted');
}

/** The subgraph URLs are few and fixed by configuration: each is parsed once. */
interface Target {
  protocol: 'http:' | 'https:';
  host: string;
  port: number;
  path: string;
}
const targets = new Map<string, Target>();
function target(url: string): Target {
  let found = targets.get(url);
  if (!found) {
    const parsed = new URL(url);
    // Configuration admits http: and https: only.
    const protocol = parsed.protocol as Target['protocol'];
    // `[::1]` as a URL's hostname; Node's client wants the bare address.
    const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(parsed.port || (protocol === 'https:' ? 443 : 80));
    found = { protocol, host, port, path: `${parsed.pathname}${parsed.search}` };
    targets.set(url, found);
  }
  return found;
}

/**
 * Runs `work` (one subgraph fetch, from signing to the parsed answer) under a deadline of
 * `budgetMs`: the fetch is aborted when it runs out.
 */
export function withFetchBudget<T>(budgetMs: number, work: () => Promise<T>): Promise<T> {
  return currentSignal.run(AbortSignal.timeout(Math.max(1, budgetMs)), work);
}

/** A fetch gets its own limit, or what is left of the request's deadline when that is sooner. */
export function fetchBudget(subgraphMs: number, deadline: number | undefined, now = Date.now()): number {
  return deadline === undefined ? subgraphMs : Math.min(subgraphMs, deadline - now);
}

/** True when a fetch failed because a deadline passed, not because the subgraph refused or broke. */
export function isTimeout(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 4; cause = (cause as Error).cause, depth++) {
    if ((cause as { name?: unknown }).name === 'TimeoutError') return true;
  }
  return false;
}
