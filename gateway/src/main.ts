import './telemetry.ts';
import { ConfigError, onShutdownSignal, settlesWithin } from '#platform';
import { readGatewayConfig } from './config.ts';
import { startGateway } from './server.ts';

let config;
try {
  config = readGatewayConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const gateway = await startGateway(config);
const shutdownMs = config.timeouts.shutdownMs;
let stopping = false;
/** Drains in-flight requests (each bounded by REQUEST_TIMEOUT_MS), then exits 0 by the deadline whatever is left. */
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  if (!(await settlesWithin(gateway.stop(), shutdownMs))) console.error(`shutdown deadline of ${shutdownMs} ms passed; exiting`);
  process.exit(0);
};
onShutdownSignal(shutdown);
