import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * A UUID, a W3C trace id (32 hex digits) or any short token of letters, digits and dashes: nothing
 * that could split a log line, a header or a metric label, nor pass for a path or a URL.
 */
const ACCEPTABLE = /^[A-Za-z0-9-]{1,64}$/;

/** Keeps a caller's request id when it is in that safe format; otherwise makes a fresh one. */
export function requestIdFrom(header: string | undefined): string {
  return header !== undefined && ACCEPTABLE.test(header) ? header : randomUUID();
}
