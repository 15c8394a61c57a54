import { HeaderMap } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';
import { GraphQLError } from 'graphql';
import { ANONYMOUS, type Viewer } from '#identity';
import { ErrorCode, sendGraphQLError } from '#platform';
import { readCredentials } from './bearer.ts';
import { InvalidToken, type ClientTokenVerifier } from './clientToken.ts';

export interface AuthenticateOptions {
  verify: ClientTokenVerifier;
  /** AUTH_REQUIRED: refuse anonymous callers instead of letting them through as anonymous. */
  required: boolean;
  onRejected?: (reason: string, res: Response) => void;
}

/**
 * Turns the Authorization header into `res.locals.viewer` before any GraphQL work, so a bad token
 * is refused with 401 and nothing is planned or sent to a subgraph.
 */
export function authenticate(options: AuthenticateOptions): RequestHandler {
  return async (req, res, next) => {
    if (authorizationHeaders(req) > 1) {
      return reject(res, new InvalidToken('duplicate_header', 'Send exactly one Authorization header'), options);
    }
    const credentials = readCredentials(req.get('authorization'));
    if (credentials.kind === 'none') {
      if (!options.required) {
        res.locals.viewer = ANONYMOUS;
        return next();
      }
      options.onRejected?.('missing', res);
      res.set('WWW-Authenticate', 'Bearer');
      return sendGraphQLError(res, 401, 'Authentication required', ErrorCode.UNAUTHENTICATED);
    }
    if (credentials.kind === 'malformed') {
      return reject(res, new InvalidToken('malformed', "The Authorization header must be 'Bearer <token>'"), options);
    }
    try {
      res.locals.viewer = await options.verify(credentials.token);
      next();
    } catch (error) {
      if (!(error instanceof InvalidToken)) return next(error);
      reject(res, error, options);
    }
  };
}

function reject(res: Response, error: InvalidToken, options: AuthenticateOptions): void {
  options.onRejected?.(error.reason, res);
  const description = error.description.replace(/["\\]/g, '');
  res.set('WWW-Authenticate', `Bearer error="invalid_token", error_description="${description}"`);
  sendGraphQLError(res, 401, error.description, ErrorCode.UNAUTHENTICATED);
}

/** Node keeps only the first of several Authorization headers; count them all, so none is dropped silently. */
const authorizationHeaders = (req: Request) => req.headersDistinct.authorization?.length ?? 0;

/**
 * The viewer `authenticate` left for this request. A request that skipped authentication (the
 * landing page) has none, and must never run an operation: it is refused as unauthenticated.
 */
export function viewerOf(res: Response): Viewer {
  const viewer = res.locals.viewer as Viewer | undefined;
  if (viewer) return viewer;
  throw new GraphQLError('Authentication required', {
    extensions: {
      code: ErrorCode.UNAUTHENTICATED,
      http: { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer']]) },
    },
  });
}
