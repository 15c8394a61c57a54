import { AsyncLocalStorage } from 'node:async_hooks';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { createRequire } from 'node:module';
import type { Agent as UndiciAgent, Dispatcher } from 'undici';
import type { GatewayTimeouts } from '../config.ts';
import { BufferedResponse, ResponseHeaders } from './bufferedResponse.ts';

// undici's entry module also loads its fetch, WebSocket, cache and cookie code, several MB of a
// gateway's memory; the fetcher needs only the connection pool and the request API. The version
// is pinned in package.json; subgraphFetch.test.ts and loadedModules.test.ts fail if these move.
const requireUndici = createRequire(import.meta.url);
const Agent = requireUndici('undici/lib/dispatcher/agent.js') as typeof UndiciAgent;
const { request } = requireUndici('undici/lib/api/index.js') as {
  request: (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
};

/** The signal that ends the subgraph fetch now running, set per fetch by `withFetchBudget`. */
const currentSignal = new AsyncLocalStorage<AbortSignal>();

export interface SubgraphHttpClient {
  /** What each subgraph's data source fetches with (the metrics wrapper goes around it). */
  readonly fetcher: Fetcher;
  close(): Promise<void>;
}

/**
 * One keep-alive connection pool per subgraph origin, bounded, with a deadline on every phase: a
 * subgraph that accepts TCP and never answers costs a bounded number of sockets for a bounded
 * time, not one new socket per waiting request for undici's default 300 s. Requests go through
 * undici's dispatcher API rather than its WHATWG `fetch`, whose streams and Request/Response
 * objects cost a quarter of the gateway's busy time in profiles; redirects are not followed.
 */
export function createSubgraphHttpClient(timeouts: Pick<GatewayTimeouts, 'subgraphMs' | 'upstream'>): SubgraphHttpClient {
  const agent = new Agent({
    connections: timeouts.upstream.connectionsPerOrigin,
    connectTimeout: timeouts.upstream.connectMs,
    // Backstops for fetches with no budget of their own; `withFetchBudget` is usually sooner.
    headersTimeout: timeouts.subgraphMs,
    bodyTimeout: timeouts.subgraphMs,
    keepAliveTimeout: timeouts.upstream.keepAliveMs,
    keepAliveMaxTimeout: timeouts.upstream.keepAliveMs,
  });
  const fetcher: Fetcher = async (url, init = {}) => {
    const { origin, path } = target(url);
    const signal = currentSignal.getStore();
    const { statusCode, headers, body } = await request.call(agent, {
      origin,
      path,
      method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: init.headers ?? {},
      body: init.body ?? null,
      signal: signal ?? null,
    });
    // Within the same signal: a body that stalls ends at the fetch's deadline like the headers do.
    const text = await body.text();
    return new BufferedResponse(url, statusCode, new ResponseHeaders(headers), text) as FetcherResponse;
  };
  return { fetcher, close: () => agent.close() };
}

/** The subgraph URLs are few and fixed by configuration: each is parsed once. */
const targets = new Map<string, { origin: string; path: string }>();
function target(url: string): { origin: string; path: string } {
  let found = targets.get(url);
  if (!found) {
    const parsed = new URL(url);
    found = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
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

const UNDICI_TIMEOUTS = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** True when a fetch failed because a deadline passed, not because the subgraph refused or broke. */
export function isTimeout(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 4; cause = (cause as Error).cause, depth++) {
    const { name, code } = cause as { name?: unknown; code?: unknown };
    if (name === 'TimeoutError' || (typeof code === 'string' && UNDICI_TIMEOUTS.has(code))) return true;
  }
  return false;
}
