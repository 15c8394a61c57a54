import type { Fetcher } from '@apollo/utils.fetcher';
import { Counter, Histogram } from 'prom-client';
import { createServiceMetrics } from '#platform';

/** The gateway's metrics: the kit's per-operation ones, plus authentication and subgraph fetches. */
export function createGatewayMetrics() {
  const service = createServiceMetrics('gateway');
  const authFailures = new Counter({
    name: 'authentication_failures_total',
    help: 'Client requests refused at authentication, by reason',
    labelNames: ['reason'] as const,
    registers: [service.registry],
  });
  const subgraphFetch = new Histogram({
    name: 'subgraph_fetch_duration_seconds',
    help: 'Time for one subgraph fetch, by subgraph and outcome',
    labelNames: ['subgraph', 'outcome'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [service.registry],
  });

  return {
    ...service,
    authenticationFailed: (reason: string) => authFailures.inc({ reason }),
    /** Wraps the HTTP client a subgraph's data source uses, timing every fetch. */
    timedFetcher(subgraph: string, fetcher: Fetcher): Fetcher {
      return async (url, init) => {
        const stopTimer = subgraphFetch.startTimer({ subgraph });
        try {
          const response = await fetcher(url, init);
          stopTimer({ outcome: response.ok ? 'ok' : `http_${response.status}` });
          return response;
        } catch (error) {
          stopTimer({ outcome: 'network_error' });
          throw error;
        }
      };
    },
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
