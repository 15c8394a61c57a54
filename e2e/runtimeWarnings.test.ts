/**
 * No warnings on the supported Node: the gateway and a subgraph, each its own process as
 * `npm run start:*` runs them, answer a GET and a POST query that crosses both; nothing either
 * prints is a Node warning (DeprecationWarning, ExperimentalWarning, ...). Node prints each
 * warning once per process, at the first call, which is why the requests are made at all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '#platform/testing';
import { startChildService, waitForHealth, type ChildService } from './childService.ts';

const WARNING = /\b\w*Warning\b|DEP\d{4}/;

describe('runtime warnings', { timeout: 180_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'runtime-warnings-'));
  let services: ChildService[] = [];
  let gatewayUrl = '';

  beforeAll(async () => {
    const [gatewayPort, inventoryPort] = [await freePort(), await freePort()];
    const common = { HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    const inventory = startChildService('subgraphs/inventory/src/main.ts', {
      ...common,
      INVENTORY_PORT: String(inventoryPort),
      GATEWAY_JWKS_URL: `http://127.0.0.1:${gatewayPort}/.well-known/jwks.json`,
    });
    const gateway = startChildService('gateway/src/main.ts', {
      ...common,
      PORT: String(gatewayPort),
      // The allow-list reads the GET query string too; 'log' serves every document all the same.
      TRUSTED_DOCUMENTS: 'log',
      INVENTORY_URL: `http://127.0.0.1:${inventoryPort}/graphql`,
    });
    services = [gateway, inventory];
    await Promise.all([waitForHealth(gatewayPort, gateway), waitForHealth(inventoryPort, inventory)]);
    gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
  });

  afterAll(async () => {
    for (const service of services) service.child.kill('SIGTERM');
    await Promise.all(services.map((service) => service.exited));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('are printed by neither the gateway nor a subgraph while they serve GET and POST queries', async () => {
    const query = '{ products { sku name } }';
    const get = await fetch(`${gatewayUrl}?query=${encodeURIComponent(query)}`, {
      headers: { 'apollo-require-preflight': 'true' },
      signal: AbortSignal.timeout(30_000),
    });
    const post = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(30_000),
    });
    for (const response of [get, post]) {
      expect(response.status).toBe(200);
      expect((await response.json()).data.products).toContainEqual({ sku: 'KB-001', name: 'Mechanical Keyboard' });
    }
    // A warning is written to stderr as the request is served; give the pipe a moment to deliver it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const service of services) expect(service.output()).not.toMatch(WARNING);
  });
});
