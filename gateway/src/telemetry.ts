// @apollo/gateway starts a usage-telemetry meter that probes cloud metadata addresses when it
// loads. This module is imported before it by every entry point, so the meter never starts.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';
