import './telemetry.ts';
import { resolve } from 'node:path';
import { createLogger, exitOnConfigError, exitOnStartupFailure, onShutdownSignal, settlesWithin, startTracing } from '#platform';
import { readGatewayConfig, type GatewayConfig } from './config.ts';

const config = exitOnConfigError(() => readGatewayConfig());
const logger = createLogger('gateway', config.logLevel);
for (const warning of config.warnings) logger.warn(warning);

const tracing = await startTracing('gateway', config.tracing);
// Loaded once tracing is registered: @apollo/gateway takes its tracer when its module loads.
const { startGateway } = await import('./server.ts');
const gateway = await startGateway(config, { logger }).catch(exitOnStartupFailure(startupSettingsOf(config)));
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

/** Which variable chose each thing start-up touches, so a port in use is named by its variable. */
function startupSettingsOf(config: GatewayConfig) {
  return {
    service: 'gateway',
    ports: [
      { variable: 'PORT', port: config.port },
      ...(config.metrics ? [{ variable: 'METRICS_PORT', port: config.metrics.port }] : []),
    ],
    ...(config.identity.devKeyFile
      ? { files: [{ variable: 'DATA_DIR', path: resolve(config.identity.devKeyFile, '../..') }] }
      : {}),
  };
}
