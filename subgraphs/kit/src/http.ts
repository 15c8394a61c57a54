import type { ErrorRequestHandler, Response } from 'express';
import { ErrorCode } from './errors.ts';

/** A GraphQL-shaped error body for answers given before any GraphQL work. */
export function sendGraphQLError(res: Response, status: number, message: string, code: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/**
 * Express would answer a malformed body with an HTML page holding a stack trace; answer JSON.
 */
export const jsonErrorHandler: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) return next(error);
  const status = typeof error?.status === 'number' && error.status < 500 ? error.status : 500;
  const message =
    status === 413 ? 'Request body too large' : status < 500 ? 'Malformed request body' : 'Internal server error';
  sendGraphQLError(res, status, message, status < 500 ? 'BAD_REQUEST' : ErrorCode.INTERNAL_SERVER_ERROR);
};
