import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler, type Router } from 'express';
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
  route: RequestHandler,
  endpoint: MetricsEndpoint,
  internal?: Router,
): Promise<RunningMetricsServer> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', route);
  if (internal) app.use(internal);
  app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
  const server = createServer(app);
  await listen(server, endpoint.port, endpoint.host);
  const { port } = server.address() as AddressInfo;
  const host = endpoint.host === '0.0.0.0' ? 'localhost' : endpoint.host;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
