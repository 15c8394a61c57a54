/**
 * What an unconfigured gateway leaves unloaded, so its memory carries none of it: the packages
 * below are loaded on demand (or, for undici, only in part) and importing the server must not
 * pull them in.
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

  it("loads undici's connection pool, so the record is real", () => {
    expect(loaded.some((path) => path.endsWith('/node_modules/undici/lib/dispatcher/agent.js'))).toBe(true);
  });

  it.each([
    ['rate-limiter-flexible (only with RATE_LIMITS on)', '/node_modules/rate-limiter-flexible/'],
    ["undici's entry module, with its fetch and WebSocket", '/node_modules/undici/index.js'],
    ["undici's fetch", '/node_modules/undici/lib/web/'],
  ])('does not load %s', (_what, path) => {
    expect(loaded.filter((file) => file.includes(path))).toEqual([]);
  });
});
