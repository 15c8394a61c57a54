import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { Counter, type Registry } from 'prom-client';
import { ErrorCode } from './errors.ts';
import type { Logger } from './logger.ts';
import type { Viewer } from './protocol.ts';

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

/**
 * Logs every authorization denial once, as one structured event, and counts it by rule. A denial's
 * message is the rule in words, so the log, the metric and the client all name it the same way.
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
          for (const error of errors.filter(isDenial)) {
            const reason = String(error.extensions.code);
            // In-code shield rules decide unless the subgraph's context names a policy engine.
            const engine = contextValue.policyEngine ?? 'shield';
            denials.inc({ rule: error.message, reason, engine });
            contextValue.log?.warn(
              {
                event: 'authorization.denied',
                requestId: contextValue.requestId,
                sub: contextValue.viewer?.sub ?? null,
                subgraph,
                operationName: clientOperationName(operationName),
                path: error.path?.join('.') ?? null,
                rule: error.message,
                reason,
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
