import { describe, expect, it } from 'vitest';
import { searchOf } from './graphqlMiddleware.ts';

describe('searchOf', () => {
  it('is the query string with its "?", as Apollo Server reads it, and nothing else of the URL', () => {
    expect(searchOf('/graphql')).toBe('');
    expect(searchOf('/graphql?')).toBe('?');
    expect(searchOf('/graphql?query=%7B__typename%7D&variables=%7B%7D')).toBe('?query=%7B__typename%7D&variables=%7B%7D');
    expect(searchOf('/graphql?query={ a }#fragment')).toBe('?query={ a }');
    expect(searchOf('/graphql?a=1?b=2')).toBe('?a=1?b=2');
    expect(new URLSearchParams(searchOf('/graphql?query=%23x#y')).get('query')).toBe('#x');
  });
});
