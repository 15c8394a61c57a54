import type { Span } from '@opentelemetry/api';
import type { RequestHandler, Response } from 'express';
import type { Viewer } from '#identity';
import { requestSpans, tracingActive, type TracingConfig } from '#platform';

/** The handlers and hooks the gateway mounts for tracing: none at all when no tracer provider is registered. */
export interface GatewayTracing {
  /** First on /graphql: the request's SERVER span, a new trace unless clients are trusted. */
  readonly requests: RequestHandler[];
  /** After authentication: its outcome, and the caller's `sub` (no other claim, never the token). */
  readonly authenticated: RequestHandler[];
  rejected(reason: string, res: Response): void;
}

const spanOf = (res: Response) => res.locals.requestSpan as Span | undefined;

export function gatewayTracing(config: TracingConfig): GatewayTracing {
  if (!tracingActive()) return { requests: [], authenticated: [], rejected: () => {} };
  return {
    requests: [requestSpans({ trustIncoming: config.trustIncoming ?? false })],
    authenticated: [
      (_req, res, next) => {
        const viewer = res.locals.viewer as Viewer | undefined;
        if (viewer) {
          spanOf(res)?.setAttributes({
            'auth.outcome': viewer.sub === null ? 'anonymous' : 'authenticated',
            ...(viewer.sub === null ? {} : { 'user.id': viewer.sub }),
          });
        }
        next();
      },
    ],
    rejected: (reason, res) => spanOf(res)?.setAttributes({ 'auth.outcome': 'rejected', 'auth.failure_reason': reason }),
  };
}
