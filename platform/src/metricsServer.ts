import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathOf, sendJson } from './http.ts';
import { listen } from './lifecycle.ts';

/** Where /metrics is served when it is kept off the client-facing port. */
export interface MetricsEndpoint {
  port: number;
  host: string;
}

/**
 * In production the default for each service is this offset from its own default port: the gateway's 4000 ->
 * 9464 (Prometheus exporters' customary port), orders' 4001 -> 9465, and so on, so services sharing
 * a host never collide.
 */
export const METRICS_PORT_OFFSET = 5464;

export interface RunningMetricsServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * /metrics on its own port, which no client port shares; `internal` adds operator routes (each
 * guarded by its own secret) that must never be reachable from the client-facing port either.
 */
export async function startMetricsServer(
  route: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  endpoint: MetricsEndpoint,
  internal?: RequestListener,
): Promise<RunningMetricsServer> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && pathOf(req.url) === '/metrics') {
      route(req, res).catch(() => sendJson(res, 500, { error: 'metrics unavailable' }));
    } else if (internal) {
      internal(req, res);
    } else {
      sendJson(res, 404, { error: 'not found' });
    }
  });
  await listen(server, endpoint.port, endpoint.host);
  const { port } = server.address() as AddressInfo;
  const host = endpoint.host === '0.0.0.0' ? 'localhost' : endpoint.host;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
