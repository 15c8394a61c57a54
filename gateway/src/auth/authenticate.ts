import { HeaderMap } from '@apollo/server';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { GraphQLError } from 'graphql';
import { ANONYMOUS, type Viewer } from '#identity';
import { ErrorCode, sendGraphQLError } from '#platform';
import { readCredentials } from './bearer.ts';
import type { ClientTokenVerifier, VerifiedToken } from './clientToken.ts';
import { provesNoForgery, readCookieToken } from './cookieToken.ts';
import { DPOP_ALGORITHMS, InvalidProof, type ProofVerifier } from './dpop/proof.ts';
import { InvalidToken } from './invalidToken.ts';

export interface DpopOptions {
  verifyProof: ProofVerifier;
  /** DPOP_REQUIRED: bearer tokens are refused; only DPoP-bound ones, with their proof, get in. */
  required: boolean;
  /** The origin clients address, when a proxy in front changes it (`DPOP_ORIGIN`). */
  origin?: string;
}

export interface AuthenticateOptions {
  verify: ClientTokenVerifier;
  /** AUTH_REQUIRED: refuse anonymous callers instead of letting them through as anonymous. */
  required: boolean;
  /** Checked on every request, after the verified-token cache: revocation takes effect at once. */
  isRevoked?: (token: VerifiedToken) => boolean;
  dpop?: DpopOptions;
  /** JWT_COOKIE: the cookie read when no Authorization header is sent. */
  cookie?: string;
  onRejected?: (reason: string, res: Response) => void;
}

/** A token as the request presented it. */
interface Presented {
  token: string;
  scheme: 'bearer' | 'dpop';
  from: 'header' | 'cookie';
}

/** A cookie-borne token on a request a browser could have sent cross-site. */
class PossibleForgery extends Error {}

/**
 * Turns the request's token into `res.locals.viewer` before any GraphQL work, so a bad token is
 * refused with 401 and nothing is planned or sent to a subgraph.
 */
export function authenticate(options: AuthenticateOptions): RequestHandler {
  return async (req, res, next) => {
    let presented: Presented | undefined;
    try {
      presented = presentedToken(req, options.cookie);
      if (!presented) return anonymous(res, next, options);
      const verified = await options.verify(presented.token);
      if (options.isRevoked?.(verified)) throw new InvalidToken('revoked', 'The token has been revoked');
      await checkBinding(req, presented, verified, options.dpop);
      res.locals.viewer = verified.viewer;
      next();
    } catch (error) {
      if (error instanceof PossibleForgery) return refuseForgery(res, options);
      if (!(error instanceof InvalidToken) && !(error instanceof InvalidProof)) return next(error);
      reject(res, error, dpopChallenged(presented, options.dpop), options);
    }
  };
}

/** The Authorization header when there is one, else the configured cookie; undefined for neither. */
function presentedToken(req: Request, cookie: string | undefined): Presented | undefined {
  if (authorizationHeaders(req) > 1) throw new InvalidToken('duplicate_header', 'Send exactly one Authorization header');
  const credentials = readCredentials(req.get('authorization'));
  if (credentials.kind === 'malformed') {
    throw new InvalidToken('malformed', "The Authorization header must be 'Bearer <token>' or 'DPoP <token>'");
  }
  if (credentials.kind !== 'none') return { token: credentials.token, scheme: credentials.kind, from: 'header' };
  if (!cookie) return undefined;
  const fromCookie = readCookieToken(req, cookie);
  if (fromCookie.kind === 'none') return undefined;
  if (fromCookie.kind === 'ambiguous') throw new InvalidToken('duplicate_cookie', `Send the ${cookie} cookie once`);
  if (!provesNoForgery(req)) throw new PossibleForgery();
  return { token: fromCookie.token, scheme: 'bearer', from: 'cookie' };
}

function anonymous(res: Response, next: NextFunction, options: AuthenticateOptions): void {
  if (!options.required) {
    res.locals.viewer = ANONYMOUS;
    return next();
  }
  options.onRejected?.('missing', res);
  res.set('WWW-Authenticate', options.dpop?.required ? `DPoP algs="${DPOP_ALGORITHMS.join(' ')}"` : 'Bearer');
  sendGraphQLError(res, 401, 'Authentication required', ErrorCode.UNAUTHENTICATED);
}

/**
 * A token bound to a key (`cnf.jkt`) is only good with a fresh proof of that key; an unbound one
 * is refused when DPoP is required, or when it pretends to be bound.
 */
async function checkBinding(req: Request, presented: Presented, verified: VerifiedToken, dpop: DpopOptions | undefined) {
  if (verified.jkt === undefined) {
    if (presented.scheme === 'dpop') {
      throw new InvalidToken('not_bound', 'The token is not DPoP-bound: send it with the Bearer scheme');
    }
    if (dpop?.required) throw new InvalidToken('dpop_required', 'Only DPoP-bound tokens are accepted');
    return;
  }
  if (presented.from === 'header' && presented.scheme !== 'dpop') {
    throw new InvalidToken('dpop_bound', 'A DPoP-bound token must be sent with the DPoP scheme');
  }
  if (!dpop) throw new InvalidToken('dpop_bound', 'DPoP-bound tokens are not accepted here');
  const proofs = req.headersDistinct.dpop ?? [];
  if (proofs.length !== 1) throw new InvalidProof('missing', 'Send exactly one DPoP proof header');
  await dpop.verifyProof({
    proof: proofs[0]!,
    method: req.method,
    url: `${dpop.origin ?? `${req.protocol}://${req.get('host')}`}${req.originalUrl}`,
    accessToken: presented.token,
    jkt: verified.jkt,
  });
}

const dpopChallenged = (presented: Presented | undefined, dpop: DpopOptions | undefined) =>
  presented?.scheme === 'dpop' || Boolean(dpop?.required);

function reject(res: Response, error: InvalidToken | InvalidProof, dpop: boolean, options: AuthenticateOptions): void {
  const proof = error instanceof InvalidProof;
  options.onRejected?.(proof ? `dpop_${error.reason}` : error.reason, res);
  const description = error.description.replace(/["\\]/g, '');
  const code = proof ? 'invalid_dpop_proof' : 'invalid_token';
  const challenge = `error="${code}", error_description="${description}"`;
  res.set(
    'WWW-Authenticate',
    proof || dpop || error.reason === 'dpop_bound'
      ? `DPoP ${challenge}, algs="${DPOP_ALGORITHMS.join(' ')}"`
      : `Bearer ${challenge}`,
  );
  sendGraphQLError(res, 401, error.description, ErrorCode.UNAUTHENTICATED);
}

function refuseForgery(res: Response, options: AuthenticateOptions): void {
  options.onRejected?.('csrf', res);
  const message =
    'A token sent in a cookie needs a header that proves the request is not a cross-site forgery: ' +
    'send Apollo-Require-Preflight, X-Apollo-Operation-Name, or a JSON Content-Type';
  sendGraphQLError(res, 400, message, 'BAD_REQUEST');
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
