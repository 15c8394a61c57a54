import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { Counter, type Registry } from 'prom-client';
import { ErrorCode, type Logger } from '#platform';
import type { Viewer } from '#identity';

/** What every subgraph context carries for the audit trail. */
export interface RequestScope {
  readonly requestId: string;
  readonly viewer: Viewer;
  readonly log: Logger;
  /** The policy engine that decided (kit/policy), when the subgraph's context names one. */
  readonly policyEngine?: string;
}

/** The gateway names each subgraph fetch `<client operation>__<subgraph>__<n>`; audit the client's. */
const clientOperationName = (name: string | null | undefined) => name?.replace(/__[A-Za-z0-9_]+?__\d+$/, '') ?? null;

const DENIAL_CODES: ReadonlySet<unknown> = new Set([ErrorCode.FORBIDDEN, ErrorCode.UNAUTHENTICATED]);

export const isDenial = (error: GraphQLError) => DENIAL_CODES.has(error.extensions?.code);

/** Paths an audit event names as examples; the count says how many there were in all. */
export const EXAMPLE_PATHS = 5;

interface DenialGroup {
  rule: string;
  reason: string;
  count: number;
  paths: string[];
}

/** One group per (rule, reason), in the order the errors came. */
function groupDenials(errors: readonly GraphQLError[]): DenialGroup[] {
  const groups = new Map<string, DenialGroup>();
  for (const error of errors.filter(isDenial)) {
    const reason = String(error.extensions.code);
    const key = JSON.stringify([error.message, reason]);
    const group = groups.get(key) ?? { rule: error.message, reason, count: 0, paths: [] };
    groups.set(key, group);
    group.count += 1;
    if (group.paths.length < EXAMPLE_PATHS && error.path) group.paths.push(error.path.join('.'));
  }
  return [...groups.values()];
}

/**
 * Logs the authorization denials of a request as one structured event per rule and reason, with
 * their count and a few example paths, and counts them by rule: a request that is denied the same
 * field on a thousand rows writes one line, not a thousand. A denial's message is the rule in
 * words, so the log, the metric and the client all name it the same way. The request's logger
 * already stamps its id on the line.
 */
export function auditDenials(subgraph: string, registry: Registry): ApolloServerPlugin<RequestScope> {
  const denials = new Counter({
    name: 'authorization_denials_total',
    help: 'Fields denied by an authorization rule, by rule',
    labelNames: ['rule', 'reason', 'engine'] as const,
    registers: [registry],
  });
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          // In-code shield rules decide unless the subgraph's context names a policy engine.
          const engine = contextValue.policyEngine ?? 'shield';
          for (const { rule, reason, count, paths } of groupDenials(errors)) {
            denials.inc({ rule, reason, engine }, count);
            contextValue.log?.warn(
              {
                event: 'authorization.denied',
                sub: contextValue.viewer?.sub ?? null,
                subgraph,
                operationName: clientOperationName(operationName),
                rule,
                reason,
                count,
                paths,
                engine,
              },
              'authorization denied',
            );
          }
        },
      };
    },
  };
}
