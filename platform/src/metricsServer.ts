import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
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

/** /metrics alone on its own port: nothing else is served there, and no client port serves it. */
export async function startMetricsServer(route: RequestHandler, endpoint: MetricsEndpoint): Promise<RunningMetricsServer> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', route);
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
