/**
 * `npm run build` and the services run from its output with plain node, as the image runs them:
 * no TypeScript runner, every file read at run time (schema, migrations, seed) found under dist/.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '#platform/testing';
import { mintClientToken } from '../scripts/clientTokens.ts';
import { postGraphQL } from './stack.ts';
import { exitWithin, ROOT, spawnIn, waitForHealth, type Spawned } from './spawned.ts';

const running: Spawned[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'built-'));
afterAll(async () => {
  for (const started of running) started.child.kill('SIGTERM');
  await Promise.all(running.map((started) => exitWithin(started, 20_000)));
  rmSync(dataDir, { recursive: true, force: true });
});

const filesUnder = (folder: string): string[] =>
  readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' }).map((file) => join(folder, file));

describe('npm run build', { timeout: 240_000 }, () => {
  it('compiles every service to JavaScript, without tests, test helpers or source maps', async () => {
    const build = spawnIn('npm', ['run', '-s', 'build'], {});
    expect(await exitWithin(build, 120_000), build.output()).toBe(0);
    for (const entry of ['gateway', 'subgraphs/orders', 'subgraphs/payments', 'subgraphs/inventory']) {
      expect(existsSync(join(ROOT, 'dist', entry, 'src/main.js')), entry).toBe(true);
    }
    const built = filesUnder('dist');
    // Test helpers and the policy's test rows (permissions.contract.ts, .matrix.ts, .e2e.ts) stay out.
    const testOnly = /\.test\.js$|testing\.js$|contractSuite\.js$|\.(contract|matrix|e2e)\.js$|\.map$|\.ts$/;
    expect(built.filter((file) => testOnly.test(file))).toEqual([]);
  });

  it('runs from dist/ with plain node: a subgraph migrates and seeds, the gateway answers through it', async () => {
    const [gatewayPort, ordersPort] = await Promise.all([freePort(), freePort()]);
    const orders = spawnIn('node', ['dist/subgraphs/orders/src/main.js'], {
      ORDERS_PORT: String(ordersPort),
      DATA_DIR: dataDir,
      GATEWAY_JWKS_URL: `http://127.0.0.1:${gatewayPort}/.well-known/jwks.json`,
    });
    const gateway = spawnIn('node', ['dist/gateway/src/main.js'], {
      PORT: String(gatewayPort),
      ORDERS_URL: `http://127.0.0.1:${ordersPort}/graphql`,
    });
    running.push(orders, gateway);
    await Promise.all([
      waitForHealth(`http://127.0.0.1:${ordersPort}/health`, orders),
      waitForHealth(`http://127.0.0.1:${gatewayPort}/health`, gateway),
    ]);
    const token = await mintClientToken({ sub: 'alice' }, {});
    const response = await postGraphQL(`http://127.0.0.1:${gatewayPort}/graphql`, '{ myOrders { id } }', { token });
    expect(response.body.data?.myOrders.map((order: { id: string }) => order.id)).toEqual(['order-1', 'order-2']);
  });
});
