/** The development landing page, served by the real gateway (no subgraph needed for it). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '#platform';
import { readGatewayConfig } from './config.ts';
import { startGateway, type RunningGateway } from './server.ts';

let gateway: RunningGateway;
let page: string;
beforeAll(async () => {
  gateway = await startGateway(readGatewayConfig({ PORT: '0', HOST: '127.0.0.1' }), {
    logger: createLogger('gateway', 'silent'),
  });
  const response = await fetch(gateway.url, { headers: { accept: 'text/html' } });
  expect(response.status).toBe(200);
  page = await response.text();
});
afterAll(() => gateway.stop());

describe('GET /graphql in a browser', () => {
  it("embeds Sandbox from Apollo's CDN with its telemetry off", () => {
    expect(page).toMatch(/<script src="https:\/\/embeddable-sandbox\.cdn\.apollographql\.com\/[^"]+"/);
    expect(page).toContain('"runTelemetry":false');
    expect(page).not.toMatch(/runTelemetry"?\s*:\s*true/);
  });

  it('says how to query with curl and a token when Sandbox cannot load', () => {
    expect(page).toContain('TOKEN=$(npm run -s token -- --sub alice)');
    expect(page).toMatch(/curl -s .*\/graphql/);
    expect(page).toContain('authorization: Bearer $TOKEN');
    expect(page).not.toContain('it appears that you might be offline');
  });
});
