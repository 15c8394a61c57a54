import { describe, expect, it } from 'vitest';
import { ConfigError } from '#platform';
import { readGatewayConfig } from './config.ts';

describe('the gateway tracing settings', () => {
  it('are off, and distrust client trace context, unless configured', () => {
    expect(readGatewayConfig({}).tracing).toEqual({ enabled: false, trustIncoming: false });
  });

  it('turn on with an OTLP endpoint; OTEL_TRUST_INCOMING continues client traces', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318', OTEL_TRUST_INCOMING: 'true' };
    expect(readGatewayConfig(env).tracing).toEqual({ enabled: true, trustIncoming: true });
    // Compose passes an unset variable through as empty: that is unset.
    expect(readGatewayConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }).tracing.enabled).toBe(false);
  });

  it('refuse an endpoint that is not a URL, and an unknown exporter, naming both', () => {
    expect(() => readGatewayConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector', OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(
      expect.objectContaining({
        constructor: ConfigError,
        message: expect.stringMatching(
          /OTEL_EXPORTER_OTLP_ENDPOINT[\s\S]*OTEL_TRACES_EXPORTER|OTEL_TRACES_EXPORTER[\s\S]*OTEL_EXPORTER_OTLP_ENDPOINT/,
        ),
      }),
    );
  });
});
