import './telemetry.ts';
import { ConfigError, onShutdownSignal, settlesWithin, startTracing } from '#platform';
import { readGatewayConfig } from './config.ts';

let config;
try {
  config = readGatewayConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const tracing = await startTracing('gateway', config.tracing);
// Loaded once tracing is registered: @apollo/gateway takes its tracer when its module loads.
const { startGateway } = await import('./server.ts');
const gateway = await startGateway(config);
const shutdownMs = config.timeouts.shutdownMs;
let stopping = false;
/** Drains in-flight requests (each bounded by REQUEST_TIMEOUT_MS), then exits 0 by the deadline whatever is left. */
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  const stopped = gateway.stop().finally(() => tracing.shutdown().catch(() => {}));
  if (!(await settlesWithin(stopped, shutdownMs))) console.error(`shutdown deadline of ${shutdownMs} ms passed; exiting`);
  process.exit(0);
};
onShutdownSignal(shutdown);
