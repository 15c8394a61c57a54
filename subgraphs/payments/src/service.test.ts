import { describe, expect, it } from 'vitest';
import { ConfigError } from '#platform';
import { readPaymentsEnv } from './service.ts';

describe('the settings of payments', () => {
  it('finds orders on its default local port unless told otherwise', () => {
    expect(readPaymentsEnv({})).toEqual({ ordersUrl: 'http://localhost:4001/graphql' });
    const inCompose = 'http://orders:4001/graphql';
    expect(readPaymentsEnv({ ORDERS_URL: inCompose })).toEqual({ ordersUrl: inCompose });
  });

  it('refuses an ORDERS_URL that is not an http(s) URL, naming it', () => {
    for (const ORDERS_URL of ['orders:4001', 'ftp://orders/graphql']) {
      expect(() => readPaymentsEnv({ ORDERS_URL })).toThrow(ConfigError);
      expect(() => readPaymentsEnv({ ORDERS_URL })).toThrow(/ORDERS_URL/);
    }
  });
});
