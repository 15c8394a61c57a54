import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ErrorCode } from './errors.ts';
import type { Logger } from './logger.ts';
import { REQUEST_ID_HEADER, requestIdFrom } from './requestId.ts';

/** `/graphql` of `/graphql?a=1#x`: the request target's path alone. */
export function pathOf(url: string | undefined): string {
  const target = url ?? '/';
  const end = target.search(/[?#]/);
  return end < 0 ? target : target.slice(0, end);
}

/** A JSON answer, on Node's response or Express's alike. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/** A GraphQL-shaped error body for answers given before any GraphQL work. */
export function sendGraphQLError(res: ServerResponse, status: number, message: string, code: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

/**
 * Express would answer a malformed body with an HTML page holding a stack trace; answer JSON.
 */
export const jsonErrorHandler: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) return next(error);
  const status = typeof error?.status === 'number' && error.status < 500 ? error.status : 500;
  const message = status === 413 ? bodyTooLarge(error?.limit) : status < 500 ? 'Malformed request body' : 'Internal server error';
  sendGraphQLError(res, status, message, status < 500 ? 'BAD_REQUEST' : ErrorCode.INTERNAL_SERVER_ERROR);
};

/** body-parser's 413 carries the configured limit; the caller learns which limit it hit. */
const bodyTooLarge = (limit: unknown) =>
  typeof limit === 'number' ? `Request body exceeds the limit of ${limit} bytes` : 'Request body too large';

/**
 * Gives every request an id (the caller's, when valid) and a logger that stamps it on every line,
 * in `res.locals.requestId` and `res.locals.log`. The id is echoed back in the response.
 */
export function assignRequestId(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const { requestId, log } = identifyRequest(req, res, logger);
    res.locals.requestId = requestId;
    res.locals.log = log;
    next();
  };
}

/** The request's id (the caller's, when valid), echoed in the response, and a logger stamping it on every line. */
export function identifyRequest(req: IncomingMessage, res: ServerResponse, logger: Logger): { requestId: string; log: Logger } {
  const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER] as string | undefined);
  res.setHeader(REQUEST_ID_HEADER, requestId);
  return { requestId, log: logger.child({ requestId }) };
}
