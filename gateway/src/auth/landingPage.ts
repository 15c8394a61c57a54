import type { Request, RequestHandler } from 'express';

/**
 * The media types Apollo Server chooses between when a GET reaches /graphql (`MEDIA_TYPES` and
 * `prefersHTML` in @apollo/server's ApolloServer.js). When `text/html` wins, Apollo renders the
 * landing page and runs nothing, whatever the query string holds; any other answer runs the request.
 */
const NEGOTIATED_MEDIA_TYPES = [
  'application/json; charset=utf-8',
  'application/graphql-response+json; charset=utf-8',
  'multipart/mixed; deferSpec=20220824',
  'multipart/mixed; incrementalSpec=v0.2',
  'multipart/mixed',
  'text/html',
];

/**
 * Apollo's own decision, made the same way (Express's `accepts` and Apollo share one `negotiator`):
 * the method and the Accept header only. The query string is never read, so no parameter trick
 * (Express stops parsing at 1000 of them, Apollo does not) can change the answer.
 */
export function asksForLandingPage(req: Request): boolean {
  return req.method === 'GET' && Boolean(req.get('accept')) && req.accepts(NEGOTIATED_MEDIA_TYPES) === 'text/html';
}

/**
 * Runs `authenticate` on every request except one for the landing page while a landing page is
 * served (development). Such a request leaves no viewer behind, and `viewerOf` refuses to run an
 * operation without one, so a disagreement with Apollo can only ever cost a 401.
 */
export function authenticateUnlessLandingPage(landingPageEnabled: boolean, authenticate: RequestHandler): RequestHandler {
  if (!landingPageEnabled) return authenticate;
  return (req, res, next) => (asksForLandingPage(req) ? next() : authenticate(req, res, next));
}
