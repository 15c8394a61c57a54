/**
 * Small helpers for the hostile-input tests: raw HTTP bodies, and a watch on what reached the
 * subgraphs while a request was handled.
 */
import { execFileSync } from 'node:child_process';
import { DRIVERS } from './drivers.ts';
import type { Driver, Stack } from './stack.ts';

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it was not JSON. */
  json: any;
}

/** POSTs `body` exactly as given (no JSON encoding), so tests can send arrays, junk and huge bodies. */
export async function postRaw(url: string, body: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Runs `work` and returns its result with the number of GraphQL requests the subgraphs got meanwhile. */
export async function watchSubgraphs<T>(stack: Stack, work: () => Promise<T>): Promise<{ result: T; reached: number }> {
  const before = stack.subgraphRequests.length;
  const result = await work();
  return { result, reached: stack.subgraphRequests.length - before };
}

/** Text that must never appear in a response: stack traces, file paths, SQL, internal addresses. */
export const LEAK_PATTERNS: RegExp[] = [
  /stacktrace/i,
  /node_modules/,
  /\.ts:\d+/,
  /\bat [\w.<>]+ \(/,
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT/,
  /127\.0\.0\.1:\d+|localhost:\d+/,
  /\b(SELECT|INSERT|UPDATE|DELETE)\b.+\b(FROM|INTO|SET|WHERE)\b/,
  /relation "|column "|syntax error at or near|duplicate key|violates .* constraint/i,
  /Connection terminated|connect ECONN|postgres/i,
];

export function leaksIn(text: string): string[] {
  return LEAK_PATTERNS.filter((pattern) => pattern.test(text)).map(String);
}

/**
 * The quickest database to start a stack on: the PostgreSQL server when one answers (CI starts
 * it), else the embedded one. Tests that do not care which driver they run on use it.
 */
export const FAST_DRIVER: Driver = DRIVERS.includes('postgres') ? 'postgres' : 'pglite';

/** Whether a program of this machine (psql, haproxy) is installed: tests that need one skip, saying so. */
export function installed(program: string, versionFlag = '--version'): boolean {
  try {
    execFileSync(program, [versionFlag], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
