import { describe, expect, it } from 'vitest';
import { badUserInput, createErrorFormatter, forbidden, notFound, unauthenticated } from './errors.ts';

describe('createErrorFormatter', () => {
  const format = createErrorFormatter({ debug: false });

  it('passes errors written for clients with their code, message and path', () => {
    const formatted = {
      message: 'Only admins can list all orders',
      path: ['orders'],
      extensions: { code: 'FORBIDDEN', serviceName: 'orders' },
    };
    expect(format(formatted, forbidden('x'))).toEqual(formatted);
  });

  it('strips stack traces and subgraph responses even from safe errors', () => {
    const formatted = {
      message: 'A valid identity token from the gateway is required',
      extensions: {
        code: 'UNAUTHENTICATED',
        stacktrace: ['at /srv/x.ts:1'],
        response: { url: 'http://10.0.0.5:4001/graphql', status: 401 },
      },
    };
    expect(format(formatted, null).extensions).toEqual({ code: 'UNAUTHENTICATED' });
  });

  it('masks anything else as a generic INTERNAL_SERVER_ERROR', () => {
    const seen: unknown[] = [];
    const masking = createErrorFormatter({ debug: false, onUnexpected: (error) => seen.push(error) });
    const cause = new Error('duplicate key value violates unique constraint "orders_pkey"');
    const formatted = masking(
      { message: cause.message, path: ['placeOrder'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      cause,
    );
    expect(formatted).toEqual({
      message: 'Internal server error',
      path: ['placeOrder'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(seen).toEqual([cause]);
  });

  it('hides field suggestions when asked', () => {
    const hiding = createErrorFormatter({ debug: false, hideSuggestions: true });
    const formatted = {
      message: 'Cannot query field "ordrs" on type "Query". Did you mean "orders"?',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    };
    expect(hiding(formatted, null).message).toBe('Cannot query field "ordrs" on type "Query".');
    expect(format(formatted, null).message).toContain('Did you mean');
  });

  it('leaves everything as it is with DEBUG_ERRORS', () => {
    const formatted = { message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['x'] } };
    expect(createErrorFormatter({ debug: true })(formatted, null)).toBe(formatted);
  });
});

describe('coded errors', () => {
  it('carry no stack trace: a denial is an answer, and capturing frames is most of its price', () => {
    for (const error of [forbidden('No'), unauthenticated('Sign in'), badUserInput('Bad'), notFound('None')]) {
      expect(error.stack).not.toMatch(/\n\s+at /);
      expect(error.message).not.toBe('');
    }
  });

  it('leave the stack trace limit as they found it', () => {
    const limit = Error.stackTraceLimit;
    forbidden('No');
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('a fault').stack).toMatch(/\n\s+at /);
  });
});
