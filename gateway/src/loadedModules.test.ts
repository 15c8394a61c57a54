/**
 * What an unconfigured gateway leaves unloaded, so its memory carries none of it: the packages
 * below are loaded on demand, or not at all, and importing the server must not pull them in.
 */
import { describe, expect, it } from 'vitest';
import { modulesResolvedBy } from '#platform/testing';

describe('importing the gateway server', () => {
  const loaded = modulesResolvedBy("await import('./gateway/src/server.ts');", {
    ...process.env,
    APOLLO_TELEMETRY_DISABLED: 'true',
  });

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
