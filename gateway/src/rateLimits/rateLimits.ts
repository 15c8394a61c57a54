/**
 * Rate limits at the edge, in two places:
 * - every request, before any GraphQL work: per user (`sub` of the verified token), or per
 *   client address for anonymous callers (an Express handler after authentication);
 * - the expensive mutations, once the operation is parsed and validated and before it is planned:
 *   each root `placeOrder` / `initiatePayment` in the operation spends one point of its own
 *   allowance (an Apollo Server plugin at `didResolveOperation`).
 * Over a limit: HTTP 429 with `Retry-After`; every answer carries `RateLimit` and `RateLimit-Policy`.
 */
import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import type { RequestHandler, Response } from 'express';
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { Counter, type Registry } from 'prom-client';
import type { Logger } from '#platform';
import type { Viewer } from '#identity';
import { clientAddress } from './clientAddress.ts';
import { rateLimitHeaders, retryAfterSeconds } from './headers.ts';
import type { PolicyLimiter } from './limiters.ts';
import { rootFieldCounts } from './mutationFields.ts';
import { LIMITED_MUTATIONS, type Decision, type RateLimitsConfig, type RateLimitSubject } from './policy.ts';

export const RATE_LIMITED = 'RATE_LIMITED';

/** What the request-level check leaves for the operation-level one, through the GraphQL context. */
export interface RequestRateLimit {
  readonly subject: RateLimitSubject;
  readonly decision: Decision;
}

export interface RateLimits {
  /** Mount after authentication: it reads `res.locals.viewer`. */
  readonly middleware: RequestHandler;
  readonly plugin: ApolloServerPlugin<{ viewer: Viewer; rateLimit?: RequestRateLimit }>;
  /** The context fields the plugin reads, from the request the middleware saw. */
  context(res: Response): { rateLimit?: RequestRateLimit };
}

export async function createRateLimits(config: RateLimitsConfig, logger: Logger, registry: Registry): Promise<RateLimits> {
  if (!config.enabled) return { middleware: (_req, _res, next) => next(), plugin: {}, context: () => ({}) };
  // rate-limiter-flexible is loaded only by a gateway that limits: the others carry none of it.
  const { createLimiterStore } = await import('./limiters.ts');
  const refusals = new Counter({
    name: 'rate_limited_total',
    help: 'Requests refused with 429, by policy',
    labelNames: ['policy'] as const,
    registers: [registry],
  });
  const storeFailures = new Counter({
    name: 'rate_limit_store_failures_total',
    help: 'Rate limit decisions taken by the replica alone because Redis failed, by policy',
    labelNames: ['policy'] as const,
    registers: [registry],
  });
  const warnThrottled = throttled(10_000, (error: unknown) =>
    logger.warn({ err: error }, 'rate limits: Redis command failed, deciding with this replica alone'),
  );
  const store = createLimiterStore(
    config,
    { onStoreFailure: (policy, error) => (storeFailures.inc({ policy }), warnThrottled(error)) },
    logger,
  );
  const user = store.limiter(config.user);
  const anonymous = store.limiter(config.anonymous);
  const mutations = LIMITED_MUTATIONS.map((name) => [name, store.limiter(config.mutations[name])] as const);

  return {
    middleware: async (req, res, next) => {
      const sub = (res.locals.viewer as Viewer | undefined)?.sub ?? null;
      const subject: RateLimitSubject =
        sub === null
          ? `address:${clientAddress(req.socket.remoteAddress, req.get('x-forwarded-for'), config.trustedProxyHops)}`
          : `user:${sub}`;
      try {
        const decision = await (sub === null ? anonymous : user).consume(subject);
        res.set(rateLimitHeaders([decision]));
        if (!decision.allowed) {
          refusals.inc({ policy: decision.policy.name });
          res.set('Retry-After', retryAfterSeconds(decision));
          return void res.status(429).json({ errors: [tooManyRequests('requests', decision).toJSON()] });
        }
        res.locals.rateLimit = { subject, decision } satisfies RequestRateLimit;
        next();
      } catch (error) {
        next(error);
      }
    },
    plugin: {
      async serverWillStart() {
        await store.ready();
        return { serverWillStop: () => store.close() };
      },
      async requestDidStart() {
        return {
          async didResolveOperation({ operation, document, contextValue, response }) {
            const requestLimit = contextValue.rateLimit;
            if (!requestLimit || operation?.operation !== 'mutation') return;
            const decisions = await consumeMutations(mutations, requestLimit.subject, operation, document);
            if (decisions.length === 0) return;
            const all = [requestLimit.decision, ...decisions];
            const refused = decisions.find((decision) => !decision.allowed);
            if (!refused) {
              for (const [name, value] of Object.entries(rateLimitHeaders(all))) response.http.headers.set(name, value);
              return;
            }
            refusals.inc({ policy: refused.policy.name });
            const headers = new HeaderMap(
              Object.entries(rateLimitHeaders(all)).map(([name, value]) => [name.toLowerCase(), value]),
            );
            headers.set('retry-after', retryAfterSeconds(refused));
            throw tooManyRequests(`${refused.policy.name} mutations`, refused, { status: 429, headers });
          },
        };
      },
    },
    context: (res) => (res.locals.rateLimit ? { rateLimit: res.locals.rateLimit as RequestRateLimit } : {}),
  };
}

async function consumeMutations(
  limiters: readonly (readonly [string, PolicyLimiter])[],
  subject: RateLimitSubject,
  operation: OperationDefinitionNode,
  document: DocumentNode,
): Promise<Decision[]> {
  const fragments = Object.fromEntries(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const counts = rootFieldCounts(operation, fragments, new Set(limiters.map(([name]) => name)));
  const decisions: Decision[] = [];
  for (const [name, limiter] of limiters) {
    const count = counts.get(name);
    if (count) decisions.push(await limiter.consume(subject, count));
  }
  return decisions;
}

function tooManyRequests(what: string, decision: Decision, http?: { status: number; headers: HeaderMap }): GraphQLError {
  const retryAfter = Number(retryAfterSeconds(decision));
  return new GraphQLError(`Too many ${what}: retry after ${retryAfter} s`, {
    extensions: { code: RATE_LIMITED, policy: decision.policy.name, retryAfter, ...(http ? { http } : {}) },
  });
}

function throttled<Args extends unknown[]>(intervalMs: number, action: (...args: Args) => void) {
  let last = -Infinity;
  return (...args: Args) => {
    const now = performance.now();
    if (now - last < intervalMs) return;
    last = now;
    action(...args);
  };
}
