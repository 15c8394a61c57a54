/** The runner's own GraphQL calls (seeding, checks), outside the timed runs. */
import { mintClientToken, type TokenRequest } from '../scripts/clientTokens.ts';

/** How client tokens are signed in a benchmark stack; the harness mints its tokens with the same. */
export const BENCH_CLIENT_AUTH = {
  JWT_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
  JWT_ISSUER: 'https://bench.example/issuer',
  JWT_AUDIENCE: 'bench-api',
} as const;

export interface HttpRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface HttpAnswer {
  status: number;
  /** The body exactly as sent: the timed runs compare every response with it. */
  text: string;
  json: { data?: any; errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[] };
}

export function graphqlRequest(
  url: string,
  document: string,
  headers: Record<string, string> = {},
  variables?: unknown,
): HttpRequest {
  return {
    url,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(variables === undefined ? { query: document } : { query: document, variables }),
  };
}

export async function send(request: HttpRequest): Promise<HttpAnswer> {
  const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  const text = await response.text();
  let json: HttpAnswer['json'];
  try {
    json = JSON.parse(text);
  } catch {
    json = {};
  }
  return { status: response.status, text, json };
}

/** Sends and insists on HTTP 200 without GraphQL errors, for seeding. */
export async function mustSucceed(request: HttpRequest): Promise<any> {
  const answer = await send(request);
  if (answer.status !== 200 || answer.json.errors?.length) {
    throw new Error(`${request.url} answered ${answer.status}: ${answer.text.slice(0, 500)}`);
  }
  return answer.json.data;
}

/** A client token the benchmark gateways accept. */
export function clientToken(request: TokenRequest): Promise<string> {
  return mintClientToken({ expiresIn: '2h', ...request }, { ...BENCH_CLIENT_AUTH });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
