/**
 * Spans of an HTTP service: one SERVER span per request, and inside it one span for the GraphQL
 * operation, named and labelled once Apollo has resolved it. Mounted only when tracing is active.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { pathOf } from './http.ts';
import { tracer } from './tracing.ts';

export interface RequestSpanOptions {
  /**
   * Continue the trace (and baggage) the caller's headers name. Off at the gateway unless the
   * operator trusts the clients, so a client cannot choose trace ids or force sampling.
   */
  trustIncoming: boolean;
}

/** Ends `span` once the response is sent or the connection is gone, with the response's status. */
function endWithResponse(span: Span, res: ServerResponse, extra: () => void = () => {}): void {
  const end = () => {
    extra();
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  res.once('finish', end);
  res.once('close', () => res.writableFinished || end());
}

/**
 * The SERVER span of one request on `route`, ended with its response; `work` runs inside it.
 * `requestId`, read when the span ends, labels it with the request's id.
 */
export function withRequestSpan<T>(
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  options: RequestSpanOptions,
  work: (span: Span) => T,
  requestId: () => unknown = () => undefined,
): T {
  const parent = options.trustIncoming ? propagation.extract(ROOT_CONTEXT, req.headers) : ROOT_CONTEXT;
  const span = tracer().startSpan(
    `${req.method} ${route}`,
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': req.method, 'http.route': route, 'url.path': pathOf(req.url) },
    },
    parent,
  );
  endWithResponse(span, res, () => {
    const id = requestId();
    if (typeof id === 'string') span.setAttribute('request.id', id);
  });
  return context.with(trace.setSpan(parent, span), () => work(span));
}

/** The span of a request's GraphQL work, ended with its response; statements and calls nest inside. */
export function withOperationSpan<T>(res: ServerResponse, work: (span: Span) => T): T {
  const span = tracer().startSpan('graphql.operation');
  endWithResponse(span, res);
  return context.with(trace.setSpan(context.active(), span), () => work(span));
}

/** One SERVER span per request; `res.locals.requestSpan` holds it for others to annotate. */
export function requestSpans(options: RequestSpanOptions): RequestHandler {
  return (req, res, next) =>
    withRequestSpan(
      req,
      res,
      req.baseUrl || req.path,
      options,
      (span) => {
        res.locals.requestSpan = span;
        next();
      },
      () => res.locals.requestId,
    );
}

/** The span of the GraphQL work of a request, in `res.locals.operationSpan`. */
export function operationSpans(): RequestHandler {
  return (_req, res, next) =>
    withOperationSpan(res, (span) => {
      res.locals.operationSpan = span;
      next();
    });
}

export interface ClientSpan {
  answered(status: number): void;
  failed(error: unknown): void;
}

/**
 * The CLIENT span of one outgoing HTTP call, its context written into `headers` (`traceparent`) so
 * the callee's SERVER span is its child. For callers that mount it only when tracing is active.
 */
export function clientSpan(
  method: string,
  url: string,
  server: { host: string; port: number },
  headers: Record<string, string>,
): ClientSpan {
  const span = tracer().startSpan(method, {
    kind: SpanKind.CLIENT,
    attributes: { 'http.request.method': method, 'url.full': url, 'server.address': server.host, 'server.port': server.port },
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
