/**
 * What an unconfigured gateway leaves unloaded, so its memory carries none of it: the packages
 * below are loaded on demand, or not at all, and importing the server must not pull them in.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const LOADED_MODULES = `
const { createRequire } = await import('node:module');
await import('./gateway/src/server.ts');
console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));
`;

function modulesLoadedWithTheServer(): string[] {
  const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', LOADED_MODULES], {
    env: { ...process.env, APOLLO_TELEMETRY_DISABLED: 'true' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(output.trim().split('\n').at(-1)!) as string[];
}

describe('importing the gateway server', () => {
  const loaded = modulesLoadedWithTheServer();

  it('loads @apollo/gateway, so the record is real', () => {
    expect(loaded.some((path) => path.includes('/node_modules/@apollo/gateway/'))).toBe(true);
  });

  it.each([
    ['rate-limiter-flexible (only with RATE_LIMITS on)', '/node_modules/rate-limiter-flexible/'],
    ['undici (subgraphs are fetched with node:http)', '/node_modules/undici/'],
  ])('does not load %s', (_what, path) => {
    expect(loaded.filter((file) => file.includes(path))).toEqual([]);
  });
});
