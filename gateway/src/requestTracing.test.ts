import type { Span } from '@opentelemetry/api';
import type { Response } from 'express';
import { describe, expect, it } from 'vitest';
import { tracer } from '#platform';
import { recordSpans } from '#platform/testing';
import { gatewayTracing } from './requestTracing.ts';

/** A response as Express hands it to a middleware, holding the request span. */
const responseWith = (span: Span, viewer?: { sub: string | null; roles: string[] }) =>
  ({ locals: { requestSpan: span, ...(viewer ? { viewer } : {}) } }) as unknown as Response;

describe('gatewayTracing', () => {
  it('mounts nothing when no tracer provider is registered', () => {
    const tracing = gatewayTracing({ enabled: false });
    expect([...tracing.requests, ...tracing.authenticated]).toEqual([]);
  });

  it("puts the authentication outcome and the caller's sub on the request span, nothing else of the token", async () => {
    const recording = await recordSpans();
    try {
      const tracing = gatewayTracing({ enabled: true });
      const [authenticated] = tracing.authenticated;
      const spans = ['alice', 'anonymous', 'refused'].map((name) => tracer().startSpan(name));
      authenticated!({} as never, responseWith(spans[0]!, { sub: 'alice', roles: ['admin'] }), () => {});
      authenticated!({} as never, responseWith(spans[1]!, { sub: null, roles: [] }), () => {});
      tracing.rejected('expired', responseWith(spans[2]!));
      for (const span of spans) span.end();
      expect(recording.spans().map((span) => [span.name, span.attributes])).toEqual([
        ['alice', { 'auth.outcome': 'authenticated', 'user.id': 'alice' }],
        ['anonymous', { 'auth.outcome': 'anonymous' }],
        ['refused', { 'auth.outcome': 'rejected', 'auth.failure_reason': 'expired' }],
      ]);
    } finally {
      await recording.stop();
    }
  });
});
