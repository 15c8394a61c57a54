import { IDENTITY_HEADER, onwardIdentityHeader } from '#identity';
import { REQUEST_ID_HEADER } from '#platform';
import type { IncomingRequest } from './server.ts';

/** One GraphQL error as the subgraph asked onward sent it. */
export interface OnwardError {
  message?: string;
  path?: unknown[];
  extensions?: { code?: unknown };
}

export interface OnwardResponse<Data> {
  data?: Data | null;
  errors?: OnwardError[];
}

/** A subgraph this one asks on its caller's behalf. */
export interface OnwardTarget {
  /** Its name: the call carries the token the gateway minted for it alone. */
  name: string;
  /** Its GraphQL endpoint. */
  url: string;
  timeoutMs: number;
  /** The error the caller's subgraph raises when no answer could be had; `detail` is for the log. */
  unavailable(detail: string, cause?: unknown): Error;
}

/**
 * Asks `target` one GraphQL question as the caller of `request`. The target accepts only the token
 * the gateway minted for it, which the kit let in only once it proved bound to the request's own
 * token (its `sub`, and its companion claim naming that token); the request id keeps the call in
 * the same trail. No answer (unreachable, too slow, not 200, not JSON) is `target.unavailable`.
 */
export async function askOnward<Data>(
  target: OnwardTarget,
  request: IncomingRequest,
  query: string,
  variables: Record<string, unknown>,
): Promise<OnwardResponse<Data>> {
  const headers = onwardHeaders(target, request);
  let response: Response;
  try {
    response = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(target.timeoutMs),
    });
  } catch (error) {
    throw target.unavailable(`${target.name} could not be reached: ${(error as Error).message}`, error);
  }
  if (response.status !== 200) throw target.unavailable(`${target.name} answered HTTP ${response.status}`);
  try {
    return (await response.json()) as OnwardResponse<Data>;
  } catch (error) {
    throw target.unavailable(`${target.name} answered with a body that is not JSON`, error);
  }
}

/** The error the target reported for item `index` of the list at `field`, if any. */
export function onwardErrorAt(response: OnwardResponse<unknown>, field: string, index: number): OnwardError | undefined {
  return response.errors?.find((error) => error.path?.[0] === field && error.path[1] === index);
}

/** The first error of an answer, in words for the operator's log. */
export function describeOnwardErrors({ errors }: OnwardResponse<unknown>): string {
  const [first] = errors ?? [];
  if (!first) return 'no answer and no error';
  return `${first.message ?? 'no message'} (${String(first.extensions?.code ?? 'no code')})`;
}

function onwardHeaders(target: OnwardTarget, request: IncomingRequest): Record<string, string> {
  const header = onwardIdentityHeader(target.name);
  const token = request.headers[header];
  if (typeof token !== 'string' || token === '') {
    throw target.unavailable(
      `The request carries no identity token for ${target.name} (${header}); ` +
        'only a gateway configured for this onward call sends one',
    );
  }
  return { [IDENTITY_HEADER]: token, [REQUEST_ID_HEADER]: request.requestId };
}
