/**
 * Two subgraph processes on one DATA_DIR/<subgraph>: the second refuses to start, so no write
 * confirmed through one can be lost to the other; a lock left by a killed process blocks nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '#platform/testing';
import { exitWithin, spawnIn, waitForHealth, type Spawned } from './spawned.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'data-lock-'));
const running: Spawned[] = [];
afterAll(async () => {
  for (const started of running) started.child.kill('SIGKILL');
  await Promise.all(running.map((started) => exitWithin(started, 10_000)));
  rmSync(dataDir, { recursive: true, force: true });
});

async function startOrders(): Promise<{ started: Spawned; port: number }> {
  const port = await freePort();
  const started = spawnIn(process.execPath, ['--import', 'tsx', 'subgraphs/orders/src/main.ts'], {
    ORDERS_PORT: String(port),
    DATA_DIR: dataDir,
  });
  running.push(started);
  return { started, port };
}

describe('one embedded database, two processes', { timeout: 240_000 }, () => {
  it('the second refuses with one line naming the first; after a kill, a restart succeeds', async () => {
    const first = await startOrders();
    await waitForHealth(`http://127.0.0.1:${first.port}/health`, first.started);

    const second = await startOrders();
    expect(await exitWithin(second.started, 60_000)).toBe(1);
    expect(second.started.output().trim()).toBe(
      `The embedded database ${join(dataDir, 'orders')} is in use by process ${first.started.child.pid}: stop it, or give this one another DATA_DIR`,
    );

    first.started.child.kill('SIGKILL');
    await first.started.exited;
    const restarted = await startOrders();
    await waitForHealth(`http://127.0.0.1:${restarted.port}/health`, restarted.started);
  });
});
