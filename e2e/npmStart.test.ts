/**
 * `npm start` as a newcomer runs it: four processes, demo tokens printed, the README's first query
 * answered, everything gone and exit code 0 after SIGTERM. Once on the default ports 4000-4003
 * (when this machine has them free), once on other ports given through the environment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '#platform/testing';
import { exitWithin, spawnIn, waitForOutput } from './spawned.ts';
import { postGraphQL } from './stack.ts';

const DEFAULT_PORTS = [4000, 4001, 4002, 4003];

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });

const portsFree = async (ports: number[]) => (await Promise.all(ports.map(portIsFree))).every(Boolean);

/** Starts `npm start`, checks what it prints and serves on `ports` (gateway first), stops it. */
async function startAndQuery(ports: number[], env: NodeJS.ProcessEnv): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  const started = spawnIn('npm', ['start', '--', '--no-pretty'], {
    ...process.env,
    ...env,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  });
  try {
    await waitForOutput('Paste one of these', started, 420_000);
    const output = started.output();
    expect(output).toContain(`Apollo Sandbox: http://localhost:${ports[0]}/graphql`);
    for (const port of ports.slice(1)) expect(output).toContain(`http://localhost:${port}/graphql`);
    const alice = /alice\s+customer\s+Bearer (\S+)/.exec(output)?.[1];
    expect(alice).toBeDefined();
    const response = await postGraphQL(`http://localhost:${ports[0]}/graphql`, '{ myOrders { id items { product { name } } } }', {
      token: alice,
    });
    expect(response.body.data.myOrders[0]).toEqual({
      id: 'order-1',
      items: [{ product: { name: 'Mechanical Keyboard' } }, { product: { name: 'Wireless Mouse' } }],
    });
  } finally {
    started.child.kill('SIGTERM');
    const code = await exitWithin(started, 30_000);
    if (code !== 0) console.error(started.output().slice(-3000));
    expect(code).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
  }
  expect(await portsFree(ports)).toBe(true);
}

describe('npm start', { timeout: 480_000 }, async () => {
  const free = await portsFree(DEFAULT_PORTS);
  if (!free) console.warn('Skipping the npm start test on 4000-4003: those ports are taken on this machine');

  it.skipIf(!free)('serves the demo on 4000-4003, prints tokens, and stops cleanly on SIGTERM', async () => {
    await startAndQuery(DEFAULT_PORTS, {});
  });

  it('honours PORT, ORDERS_PORT, PAYMENTS_PORT and INVENTORY_PORT: waits on them and prints them', async () => {
    const ports = await Promise.all(DEFAULT_PORTS.map(() => freePort()));
    const [gateway, orders, payments, inventory] = ports.map(String);
    await startAndQuery(ports, { PORT: gateway, ORDERS_PORT: orders, PAYMENTS_PORT: payments, INVENTORY_PORT: inventory });
  });
});
