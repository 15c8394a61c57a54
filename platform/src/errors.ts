import { GraphQLError, type GraphQLFormattedError } from 'graphql';

export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** Something this service depends on did not answer (in time): nothing is wrong with the request, retry. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Built without a stack trace: these are answers to a request (a denial, a bad input), not faults,
 * and no client ever sees a stack. Capturing one (source-mapped under tsx) was most of a denial's
 * price: a denied request cost 1.18x the CPU of its granted twin.
 */
const codedError =
  (code: ErrorCode) =>
  (message: string, extensions: Record<string, unknown> = {}) =>
    withoutStackTrace(() => new GraphQLError(message, { extensions: { ...extensions, code } }));

function withoutStackTrace<T>(build: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return build();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export const unauthenticated = codedError(ErrorCode.UNAUTHENTICATED);
export const forbidden = codedError(ErrorCode.FORBIDDEN);
export const badUserInput = codedError(ErrorCode.BAD_USER_INPUT);
export const notFound = codedError(ErrorCode.NOT_FOUND);
export const serviceUnavailable = codedError(ErrorCode.SERVICE_UNAVAILABLE);

/** Codes whose message was written for the client; anything else is masked before it leaves. */
export const CLIENT_SAFE_CODES: ReadonlySet<string> = new Set([
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.FORBIDDEN,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.NOT_FOUND,
  ErrorCode.SERVICE_UNAVAILABLE,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

export const GENERIC_MESSAGE = 'Internal server error';

/** Extensions that may hold stack traces, file paths, SQL or internal URLs. */
const PRIVATE_EXTENSIONS = ['stacktrace', 'exception', 'response'];

export interface ErrorFormatterOptions {
  /** `DEBUG_ERRORS=true`: the operator wants raw errors. Never the default. */
  debug: boolean;
  /** More codes whose messages are meant for clients (the gateway's own). */
  extraSafeCodes?: Iterable<string>;
  /** Drops "Did you mean ...?" from validation errors, which would map the schema for an attacker. */
  hideSuggestions?: boolean;
  onUnexpected?: (error: unknown) => void;
  /** A SERVICE_UNAVAILABLE error: its cause is for the operator, its message for the client. */
  onUnavailable?: (error: unknown) => void;
}

/**
 * Apollo Server's `formatError`: errors written for clients pass with their code, message and
 * path; anything else becomes a generic INTERNAL_SERVER_ERROR so no SQL or stack leaks out.
 */
export function createErrorFormatter(options: ErrorFormatterOptions) {
  const safeCodes = new Set([...CLIENT_SAFE_CODES, ...(options.extraSafeCodes ?? [])]);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (options.debug) return formatted;
    const extensions = { ...formatted.extensions };
    for (const key of PRIVATE_EXTENSIONS) delete extensions[key];
    const code = typeof extensions.code === 'string' ? extensions.code : undefined;
    if (code !== undefined && safeCodes.has(code)) {
      if (code === ErrorCode.SERVICE_UNAVAILABLE) options.onUnavailable?.(error);
      const message = options.hideSuggestions ? withoutSuggestions(formatted.message) : formatted.message;
      return { ...formatted, message, extensions };
    }
    options.onUnexpected?.(error);
    return {
      message: GENERIC_MESSAGE,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

const withoutSuggestions = (message: string) => message.replace(/ ?Did you mean .*\?$/, '');
