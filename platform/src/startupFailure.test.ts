import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { listen } from './lifecycle.ts';
import { StartupProblem, startupFailureLine, type StartupSettings } from './startupFailure.ts';

const taken = createServer();
afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

const settings = (port: number): StartupSettings => ({
  service: 'orders',
  ports: [{ variable: 'ORDERS_PORT', port }],
  database: { variable: 'ORDERS_DATABASE_URL', url: 'postgres://app:s3cret@db.internal:6543/app' },
  files: [{ variable: 'DATA_DIR', path: '/srv/data' }],
});

const failure = (code: string, extra: object = {}) => Object.assign(new Error(`connect ${code}`), { code, ...extra });

describe('startupFailureLine', () => {
  it('names the variable of a port in use, from a real listen', async () => {
    await listen(taken, 0, '127.0.0.1');
    const { port } = taken.address() as AddressInfo;
    const error = await listen(createServer(), port, '127.0.0.1').catch((caught: unknown) => caught);
    expect(startupFailureLine(error, settings(port))).toBe(
      `orders cannot start: ORDERS_PORT=${port} is in use by another process; stop it, or set ORDERS_PORT to a free port`,
    );
  });

  it.each([
    [failure('ECONNREFUSED'), 'refused the connection'],
    [failure('ENOTFOUND'), 'has no such host'],
    [failure('ETIMEDOUT'), 'did not answer'],
    [new Error('timeout exceeded when trying to connect'), 'did not answer'],
    [Object.assign(new Error('password authentication failed'), { code: '28P01' }), 'refused the credentials'],
    [Object.assign(new Error('database "app" does not exist'), { code: '3D000' }), 'has no such database'],
    [new AggregateError([failure('ECONNREFUSED')], 'all failed'), 'refused the connection'],
    [new Error('unavailable', { cause: failure('ECONNREFUSED') }), 'refused the connection'],
  ])('says where an unreachable database is, never its password: %s', (error, reason) => {
    const line = startupFailureLine(error, settings(4001))!;
    expect(line).toMatch(
      new RegExp(`^orders cannot start: the database at db.internal:6543 \\(ORDERS_DATABASE_URL\\) ${reason}`),
    );
    expect(line).not.toContain('s3cret');
    expect(line).not.toContain('app:');
  });

  it('names the folder variable of a file it cannot write', () => {
    const error = failure('EACCES', { syscall: 'mkdir', path: '/srv/data/orders' });
    expect(startupFailureLine(error, settings(4001))).toBe(
      'orders cannot start: cannot write /srv/data/orders (EACCES): give this process that folder, or set DATA_DIR to one it may write',
    );
  });

  it('says a problem already phrased for the operator as it is, wherever it sits among the causes', () => {
    const problem = new StartupProblem('the key file is empty; delete it');
    expect(startupFailureLine(new Error('start failed', { cause: problem }), settings(4001))).toBe(
      'orders cannot start: the key file is empty; delete it',
    );
  });

  it('leaves any other error alone: a bug keeps its stack', () => {
    expect(startupFailureLine(new TypeError('x is undefined'), settings(4001))).toBeUndefined();
    expect(startupFailureLine(failure('ECONNREFUSED'), { service: 'gateway', ports: [] })).toBeUndefined();
  });
});
