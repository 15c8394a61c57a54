import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * Operation names come from clients, so they are a label of bounded size: past `limit` distinct
 * names, new ones are counted as "other" rather than growing the metric without end.
 */
export function boundedLabel(limit: number) {
  const seen = new Set<string>();
  return (value: string | null | undefined): string => {
    const label = (value ?? 'anonymous').slice(0, 64).replace(/[^A-Za-z0-9_]/g, '_') || 'anonymous';
    if (seen.has(label)) return label;
    if (seen.size >= limit) return 'other';
    seen.add(label);
    return label;
  };
}

export interface ServiceMetrics {
  readonly registry: Registry;
  /** Counts and times every GraphQL operation by name and outcome. */
  readonly plugin: ApolloServerPlugin<any>;
  /** GET /metrics in Prometheus text format. */
  readonly route: RequestHandler;
}

export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const operationLabel = boundedLabel(200);
  const requests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL operations answered, by operation name and outcome',
    labelNames: ['operation', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'Time to answer a GraphQL operation, by operation name',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  return {
    registry,
    plugin: {
      async requestDidStart() {
        const stopTimer = duration.startTimer();
        return {
          async willSendResponse({ operationName, errors }) {
            const operation = operationLabel(operationName);
            stopTimer({ operation });
            requests.inc({ operation, outcome: errors?.length ? 'error' : 'ok' });
          },
        };
      },
    },
    route: async (_req, res) => {
      res.set('content-type', registry.contentType).send(await registry.metrics());
    },
  };
}
