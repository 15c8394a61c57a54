/** ioredis is loaded only by a gateway configured with REDIS_URL: the others carry none of its memory. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const LOADED_MODULES = `
const { createRequire } = await import('node:module');
await import('./gateway/src/server.ts');
const cache = createRequire(import.meta.url).cache;
console.log(JSON.stringify(Object.keys(cache).filter((path) => path.includes('/node_modules/ioredis/'))));
`;

describe('the Redis client', () => {
  it('is not loaded with the gateway when no Redis URL is configured', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', LOADED_MODULES], {
      env: { ...process.env, APOLLO_TELEMETRY_DISABLED: 'true' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(JSON.parse(output.trim().split('\n').at(-1)!)).toEqual([]);
  });
});
