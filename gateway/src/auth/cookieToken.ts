import type { Request } from 'express';

/**
 * The token in cookie `name`, for browser apps that keep it in an HttpOnly cookie. Consulted only
 * when no Authorization header is sent: a header always wins, so a script-held token is never
 * overridden by whatever cookie the browser attaches. The same cookie sent twice is ambiguous.
 */
export function readCookieToken(
  req: Request,
  name: string,
): { kind: 'none' } | { kind: 'token'; token: string } | { kind: 'ambiguous' } {
  const values = (req.get('cookie') ?? '')
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair.startsWith(`${name}=`))
    .map((pair) => pair.slice(name.length + 1).replace(/^"(.*)"$/, '$1'));
  if (values.length === 0 || values[0] === '') return { kind: 'none' };
  if (values.length > 1) return { kind: 'ambiguous' };
  return { kind: 'token', token: values[0]! };
}

const SIMPLE_CONTENT_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);

/**
 * A browser attaches cookies to cross-site requests too, so a cookie alone proves nothing. It
 * sends these only after a CORS preflight the gateway's CORS policy answers (the rule of Apollo's
 * CSRF prevention): a custom header, or a content type a form cannot send.
 */
export function provesNoForgery(req: Request): boolean {
  if (req.get('apollo-require-preflight') !== undefined || req.get('x-apollo-operation-name') !== undefined) return true;
  const contentType = req.get('content-type');
  if (contentType === undefined) return false;
  return !SIMPLE_CONTENT_TYPES.has(contentType.split(';')[0]!.trim().toLowerCase());
}
