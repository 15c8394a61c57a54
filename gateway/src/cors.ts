/**
 * CORS for browser apps on other origins, off unless `CORS_ORIGINS` lists them. Only exact
 * origins (`https://app.example.com`, no path, no wildcard): a wildcard cannot go with
 * credentials, and echoing any origin would hand every site the caller's cookies when
 * credentials are on. The answer depends on the request's Origin, so caches are told so (Vary).
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { REQUEST_ID_HEADER } from '#platform';

export interface CorsConfig {
  origins: readonly string[];
  /** `Access-Control-Allow-Credentials: true` (cookies, TLS client certificates); bearer tokens do not need it. */
  allowCredentials: boolean;
}

/** `CORS_ORIGINS`: comma-separated exact origins; empty or unset means CORS stays off. */
export const corsOrigins = z
  .string()
  .optional()
  .transform((text, ctx) => {
    const origins = (text ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean);
    for (const origin of origins.filter((origin) => !isExactOrigin(origin))) {
      ctx.addIssue({
        code: 'custom',
        message: `${origin} is not an exact origin such as https://app.example.com (no path, no *)`,
      });
    }
    return origins;
  });

function isExactOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return /^https?:$/.test(url.protocol) && url.origin === text;
  } catch {
    return false;
  }
}

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
/** What Sandbox-like clients and ours send: the token, JSON, Apollo's CSRF and client headers, the request id. */
const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
  REQUEST_ID_HEADER,
].join(', ');
const PREFLIGHT_CACHE_SECONDS = '600';

/** The middleware for `/graphql`; a no-op when no origin is configured. */
export function cors(config: CorsConfig): RequestHandler {
  const allowed = new Set(config.origins);
  return (req, res, next) => {
    if (allowed.size === 0) return next();
    res.vary('Origin');
    const origin = req.headers.origin;
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (origin === undefined || !allowed.has(origin)) {
      // Without the allow headers the browser refuses; a preflight needs no further handling.
      return preflight ? void res.status(403).end() : next();
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    if (config.allowCredentials) res.setHeader('Access-Control-Allow-Credentials', 'true');
    if (!preflight) return next();
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', PREFLIGHT_CACHE_SECONDS);
    res.vary('Access-Control-Request-Headers');
    res.status(204).end();
  };
}
