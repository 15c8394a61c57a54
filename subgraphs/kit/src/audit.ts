import type { ApolloServerPlugin } from '@apollo/server';
import type { Span } from '@opentelemetry/api';
import type { GraphQLError } from 'graphql';
import { Counter, Gauge, type Registry } from 'prom-client';
import { clientOperationName, ErrorCode, type Logger } from '#platform';
import type { Viewer } from '#identity';
import { ruleId } from './authorization.ts';

/** What every subgraph context carries for the audit trail. */
export interface RequestScope {
  readonly requestId: string;
  readonly viewer: Viewer;
  readonly log: Logger;
  /** The policy engine that decided (kit/policy), when the subgraph's context names one. */
  readonly policyEngine?: string;
  /** The span of this request's GraphQL work, when tracing is on: denials become its events. */
  readonly operationSpan?: Span;
}

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

/** One span event per denied field: the rule in words, its id, the reason and the field's path. */
function recordDenials(span: Span, errors: readonly GraphQLError[], engine: string): void {
  for (const error of errors.filter(isDenial)) {
    span.addEvent('authorization.denied', {
      'authorization.rule': error.message,
      'authorization.rule_id': ruleId(error.message),
      'authorization.reason': String(error.extensions.code),
      'authorization.engine': engine,
      'graphql.field.path': error.path?.join('.') ?? '',
    });
  }
}

/**
 * Logs the authorization denials of a request as one structured event per rule and reason, with
 * their count and a few example paths, and counts them by rule id: a request that is denied the
 * same field on a thousand rows writes one line, not a thousand. A denial's message is the rule in
 * words, so the log and the client name it the same way; the metric's `rule` is its stable id, and
 * `authorization_rule_info` maps the id to the words. The request's logger stamps its id on the line.
 */
export function auditDenials(subgraph: string, registry: Registry): ApolloServerPlugin<RequestScope> {
  const denials = new Counter({
    name: 'authorization_denials_total',
    help:
      'Fields denied by an authorization rule, by rule id, reason (FORBIDDEN: signed in but not allowed; ' +
      'UNAUTHENTICATED: sign-in required) and engine; authorization_rule_info gives each rule in words',
    labelNames: ['rule', 'reason', 'engine'] as const,
    registers: [registry],
  });
  const ruleInfo = new Gauge({
    name: 'authorization_rule_info',
    help: 'Always 1: the words (the FORBIDDEN message) of each rule id that has denied a field',
    labelNames: ['rule', 'words'] as const,
    registers: [registry],
  });
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          // In-code shield rules decide unless the subgraph's context names a policy engine.
          const engine = contextValue.policyEngine ?? 'shield';
          if (contextValue.operationSpan) recordDenials(contextValue.operationSpan, errors, engine);
          for (const { rule, reason, count, paths } of groupDenials(errors)) {
            const id = ruleId(rule);
            denials.inc({ rule: id, reason, engine }, count);
            ruleInfo.set({ rule: id, words: rule }, 1);
            contextValue.log?.warn(
              {
                event: 'authorization.denied',
                sub: contextValue.viewer?.sub ?? null,
                subgraph,
                operationName: clientOperationName(operationName),
                rule,
                ruleId: id,
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
