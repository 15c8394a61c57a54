/**
 * Spans of an HTTP service: one SERVER span per request, and inside it one span for the GraphQL
 * operation, named and labelled once Apollo has resolved it. Mounted only when tracing is active.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { RequestHandler, Response } from 'express';
import { tracer } from './tracing.ts';

export interface RequestSpanOptions {
  /**
   * Continue the trace (and baggage) the caller's headers name. Off at the gateway unless the
   * operator trusts the clients, so a client cannot choose trace ids or force sampling.
   */
  trustIncoming: boolean;
}

/** Ends `span` once the response is sent or the connection is gone, with the response's status. */
function endWithResponse(span: Span, res: Response, extra: (res: Response) => void = () => {}): void {
  const end = () => {
    extra(res);
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  res.once('finish', end);
  res.once('close', () => res.writableFinished || end());
}

/** One SERVER span per request; `res.locals.requestSpan` holds it for others to annotate. */
export function requestSpans(options: RequestSpanOptions): RequestHandler {
  return (req, res, next) => {
    const parent = options.trustIncoming ? propagation.extract(ROOT_CONTEXT, req.headers) : ROOT_CONTEXT;
    const route = req.baseUrl || req.path;
    const span = tracer().startSpan(
      `${req.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': req.method, 'http.route': route, 'url.path': req.path },
      },
      parent,
    );
    res.locals.requestSpan = span;
    endWithResponse(span, res, () => {
      if (typeof res.locals.requestId === 'string') span.setAttribute('request.id', res.locals.requestId);
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

/** The span of the GraphQL work of a request, in `res.locals.operationSpan`; statements and calls nest inside. */
export function operationSpans(): RequestHandler {
  return (_req, res, next) => {
    const span = tracer().startSpan('graphql.operation');
    res.locals.operationSpan = span;
    endWithResponse(span, res);
    context.with(trace.setSpan(context.active(), span), next);
  };
}

export interface ClientSpan {
  answered(status: number): void;
  failed(error: unknown): void;
}

/**
 * The CLIENT span of one outgoing HTTP call, its context written into `headers` (`traceparent`) so
 * the callee's SERVER span is its child. For callers that mount it only when tracing is active.
 */
export function clientSpan(method: string, url: string, headers: Record<string, string>): ClientSpan {
  const { hostname, port, protocol } = new URL(url);
  const span = tracer().startSpan(method, {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': method,
      'url.full': url,
      'server.address': hostname,
      'server.port': Number(port || (protocol === 'https:' ? 443 : 80)),
    },
  });
  propagation.inject(trace.setSpan(context.active(), span), headers);
  let ended = false;
  const end = (record: () => void) => {
    if (ended) return;
    ended = true;
    record();
    span.end();
  };
  return {
    answered: (status) =>
      end(() => {
        span.setAttribute('http.response.status_code', status);
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      }),
    failed: (error) =>
      end(() => {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }),
  };
}

/** Names the operation span as OpenTelemetry's GraphQL conventions do: `query MyOrders`. */
export function nameOperationSpans(): ApolloServerPlugin<{ operationSpan?: Span }> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, operationName }) {
          const span = contextValue.operationSpan;
          if (!span || !operation) return;
          span.updateName(operationName ? `${operation.operation} ${operationName}` : operation.operation);
          span.setAttribute('graphql.operation.type', operation.operation);
          if (operationName) span.setAttribute('graphql.operation.name', operationName);
        },
        async willSendResponse({ contextValue, errors }) {
          if (errors?.length) contextValue.operationSpan?.setAttribute('graphql.error.count', errors.length);
        },
      };
    },
  };
}
