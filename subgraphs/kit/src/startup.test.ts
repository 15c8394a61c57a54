import { describe, expect, it } from 'vitest';
import { ConfigError } from '#platform';
import { readProgramConfig, startupSettingsOf } from './startup.ts';

const program = {
  name: 'orders',
  defaultPort: 4001,
  checkEnv(env: NodeJS.ProcessEnv) {
    if (env.ORDERS_POLICY_ENGINE === 'magic') throw new ConfigError('orders', ['ORDERS_POLICY_ENGINE: not an engine']);
  },
};

describe('readProgramConfig', () => {
  it("lists the kit's problems and the subgraph's own in one error", () => {
    let error: unknown;
    try {
      readProgramConfig(program, { ORDERS_PORT: 'eighty', ORDERS_POLICY_ENGINE: 'magic' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/^ORDERS_PORT: /),
      'ORDERS_POLICY_ENGINE: not an engine',
    ]);
  });

  it('returns the config when both agree', () => {
    expect(readProgramConfig(program, { ORDERS_PORT: '4101' }).port).toBe(4101);
  });
});

describe('startupSettingsOf', () => {
  it('names the variables behind the ports, the database and the data folder', () => {
    const env = { ORDERS_PORT: '4101', ORDERS_METRICS_PORT: '9101', ORDERS_DATABASE_URL: 'postgres://db:5432/x' };
    expect(startupSettingsOf('orders', readProgramConfig(program, env), env)).toEqual({
      service: 'orders',
      ports: [
        { variable: 'ORDERS_PORT', port: 4101 },
        { variable: 'ORDERS_METRICS_PORT', port: 9101 },
      ],
      database: { variable: 'ORDERS_DATABASE_URL', url: 'postgres://db:5432/x' },
    });
    const embedded = startupSettingsOf('orders', readProgramConfig(program, { DATA_DIR: '/srv/data' }), {});
    expect(embedded.files).toEqual([{ variable: 'DATA_DIR', path: '/srv/data' }]);
    expect(embedded.database).toBeUndefined();
  });
});
