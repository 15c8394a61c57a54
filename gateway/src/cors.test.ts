/** CORS through the real gateway (no subgraph is needed: preflights and `__typename` stay at the gateway). */
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, createLogger } from '#platform';
import { readGatewayConfig } from './config.ts';
import { startGateway, type RunningGateway } from './server.ts';

const APP = 'https://app.example.com';
const gateways: RunningGateway[] = [];
afterAll(() => Promise.all(gateways.map((gateway) => gateway.stop())));

async function gatewayWith(env: NodeJS.ProcessEnv): Promise<string> {
  const config = readGatewayConfig({ PORT: '0', HOST: '127.0.0.1', ...env });
  const gateway = await startGateway(config, { logger: createLogger('gateway', 'silent') });
  gateways.push(gateway);
  return gateway.url;
}

const preflight = (url: string, origin: string) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  });

const post = (url: string, origin: string) =>
  fetch(url, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });

describe('CORS_ORIGINS', () => {
  it('answers a preflight from a listed origin with that exact origin, the token header and Vary', async () => {
    const url = await gatewayWith({ CORS_ORIGINS: `${APP}, https://admin.example.com` });
    const response = await preflight(url, APP);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization.*content-type/);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/Origin/);

    const answered = await post(url, APP);
    expect(answered.headers.get('access-control-allow-origin')).toBe(APP);
    expect(await answered.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses a preflight from any other origin, and lets its requests through without allow headers', async () => {
    const url = await gatewayWith({ CORS_ORIGINS: APP });
    const refused = await preflight(url, 'https://evil.example');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(refused.headers.get('vary')).toMatch(/Origin/);
    const sent = await post(url, `${APP}.evil.example`);
    expect(sent.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends Access-Control-Allow-Credentials only when asked, always with the exact origin', async () => {
    const url = await gatewayWith({ CORS_ORIGINS: APP, CORS_ALLOW_CREDENTIALS: 'true' });
    const response = await preflight(url, APP);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('is off by default: no CORS headers for anyone', async () => {
    const url = await gatewayWith({});
    const response = await post(url, APP);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight(url, APP)).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a wildcard, a path or a non-origin, listing each', () => {
    const read = () => readGatewayConfig({ CORS_ORIGINS: '*, https://app.example.com/, app.example.com' });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/\* is not an exact origin[\s\S]*app\.example\.com\/ is not[\s\S]*app\.example\.com is not/);
  });
});
