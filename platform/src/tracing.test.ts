import { describe, expect, it } from 'vitest';
import { readTracingConfig } from './tracing.ts';
import { modulesResolvedBy } from './testing.ts';

describe('readTracingConfig', () => {
  const off = { OTEL_SDK_DISABLED: false };
  it.each([
    ['nothing set', {}, false],
    ['an OTLP endpoint', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true],
    ['a traces endpoint', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, true],
    ['a traces exporter', { OTEL_TRACES_EXPORTER: 'console' }, true],
    [
      'exporter none, whatever the endpoint',
      { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' },
      false,
    ],
    ['the SDK disabled', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: true }, false],
  ])('%s: %s', (_case, env, enabled) => {
    expect(readTracingConfig({ ...off, ...env }).enabled).toBe(enabled);
  });
});

/** Starts tracing in a fresh process and lists the OpenTelemetry SDK modules it loaded. */
function sdkModulesLoaded(enabled: boolean): string[] {
  const resolved = modulesResolvedBy(
    `const { startTracing } = await import('#platform');
     const tracing = await startTracing('probe', { enabled: ${enabled} });
     await tracing.shutdown();`,
    { PATH: process.env.PATH, OTEL_TRACES_EXPORTER: 'none' },
  );
  return SDK_MODULES.filter((part) => resolved.some((url) => url.includes(part)));
}

const SDK_MODULES = ['/platform/src/tracingSdk.ts', '/@opentelemetry/sdk-node/', '/@opentelemetry/sdk-trace'];

describe('startTracing', () => {
  it('loads no SDK module when tracing is off', () => {
    expect(sdkModulesLoaded(false)).toEqual([]);
  });

  it('loads the SDK when tracing is on', () => {
    expect(sdkModulesLoaded(true)).toEqual(expect.arrayContaining(['/platform/src/tracingSdk.ts', '/@opentelemetry/sdk-node/']));
  });
});
