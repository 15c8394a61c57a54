import './telemetry.ts';
import { ConfigError, onShutdownSignal } from '#kit';
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
const shutdown = async () => {
  await gateway.stop();
  process.exit(0);
};
onShutdownSignal(shutdown);
