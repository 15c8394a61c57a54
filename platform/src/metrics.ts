import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The label of an operation sent without a name. Parentheses cannot occur in a GraphQL name, so no
 * client's operation can share it (and it does not read as an anonymous user).
 */
export const UNNAMED_OPERATION = '(unnamed)';

/**
 * The gateway names each subgraph fetch `<client operation>__<subgraph>__<n>`: subgraphs log and
 * count the client's name, so their series and lines match the gateway's.
 */
export const clientOperationName = (name: string | null | undefined): string | null =>
  name?.replace(/__[A-Za-z0-9_]+?__\d+$/, '') || null;

/**
 * `ok` without errors; `partial` when data came back beside errors (a denied field, one subgraph
 * down); `error` when no data did (refused, invalid, failed).
 */
export function operationOutcome(response: GraphQLResponse, errors: readonly unknown[] | undefined): 'ok' | 'partial' | 'error' {
  if (!errors?.length) return 'ok';
  const data = response.body.kind === 'single' ? response.body.singleResult.data : undefined;
  return data ? 'partial' : 'error';
}

/**
 * Operation names come from clients, so they are a label of bounded size: past `limit` distinct
 * names, new ones are counted as "other" rather than growing the metric without end.
 */
export function boundedLabel(limit: number) {
  const seen = new Set<string>();
  return (value: string | null | undefined): string => {
    const label = value ? value.slice(0, 64).replace(/[^A-Za-z0-9_]/g, '_') : UNNAMED_OPERATION;
    if (seen.has(label)) return label;
    if (seen.size >= limit) return 'other';
    seen.add(label);
    return label;
  };
}

export interface ServiceMetrics {
  readonly registry: Registry;
  /** Counts and times every GraphQL operation by name, type and outcome. */
  readonly plugin: ApolloServerPlugin<any>;
  /** GET /metrics in Prometheus text format. */
  readonly route: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const operationLabel = boundedLabel(200);
  const requests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL operations answered, by operation name, operation type and outcome (ok, partial, error)',
    labelNames: ['operation', 'operation_type', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'Time to answer a GraphQL operation, by operation name and operation type',
    labelNames: ['operation', 'operation_type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  return {
    registry,
    plugin: {
      async requestDidStart() {
        const stopTimer = duration.startTimer();
        return {
          async willSendResponse({ operationName, operation, errors, response }) {
            const labels = {
              operation: operationLabel(clientOperationName(operationName)),
              operation_type: operation?.operation ?? 'none',
            };
            stopTimer(labels);
            requests.inc({ ...labels, outcome: operationOutcome(response, errors) });
          },
        };
      },
    },
    route: async (_req, res) => {
      const text = await registry.metrics();
      res.setHeader('content-type', registry.contentType);
      res.end(text);
    },
  };
}
