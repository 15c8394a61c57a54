import { AsyncLocalStorage } from 'node:async_hooks';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { Agent, fetch } from 'undici';
import type { GatewayTimeouts } from '../config.ts';

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
 * time, not one new socket per waiting request for undici's default 300 s.
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
  const fetcher: Fetcher = async (url, init) => {
    const signal = currentSignal.getStore();
    const response = await fetch(url, { ...init, dispatcher: agent, ...(signal ? { signal } : {}) });
    return response as unknown as FetcherResponse;
  };
  return { fetcher, close: () => agent.close() };
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
