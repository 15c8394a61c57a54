import { afterAll, describe, expect, it } from 'vitest';
import { temporaryFolder } from '#platform/testing';
import { ConfigError } from '#platform';
import { readSubgraphConfig } from './config.ts';

const files = temporaryFolder('secrets');
afterAll(files.remove);
const secretFile = files.write;

describe('subgraph secrets from files', () => {
  it('DATABASE_URL_FILE and ORDERS_DATABASE_URL_FILE: the file holds the URL, its newline dropped', () => {
    const url = 'postgres://app:s3cret@db:5432/app';
    expect(readSubgraphConfig('orders', 4001, { DATABASE_URL_FILE: secretFile('db', `${url}\n`) }).database).toEqual({
      driver: 'postgres',
      url,
      schema: 'orders',
    });
    const own = readSubgraphConfig('orders', 4001, { ORDERS_DATABASE_URL_FILE: secretFile('own', url) });
    expect(own.database).toMatchObject({ url });
  });

  it('refuses a value and a file for one variable, an unreadable or empty file, with the other problems', () => {
    const read = () =>
      readSubgraphConfig('orders', 4001, {
        DATABASE_URL: 'postgres://x@db/x',
        DATABASE_URL_FILE: secretFile('both', 'postgres://y@db/y'),
        ORDERS_DATABASE_URL_FILE: files.path('missing'),
        ORDERS_PORT: 'eighty',
      });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/DATABASE_URL_FILE: set either DATABASE_URL or DATABASE_URL_FILE, not both/);
    expect(read).toThrow(/ORDERS_DATABASE_URL_FILE: cannot read .*missing \(ENOENT\)[\s\S]*ORDERS_PORT/);
    expect(() => readSubgraphConfig('orders', 4001, { DATABASE_URL_FILE: secretFile('empty', '\n') })).toThrow(/is empty/);
  });
});
