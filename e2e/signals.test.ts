/**
 * `npm run start:<service>` stopped the way systemd or a terminal stops it: SIGTERM to the whole
 * process group, so the service gets one from the signal and another forwarded by npm.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '#platform/testing';
import { exitWithin, killGroup, spawnIn, waitForHealth } from './spawned.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'signals-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('SIGTERM to the process group of npm run start:<service>', { timeout: 180_000 }, () => {
  it('drains once, stops the subgraph and exits 0', async () => {
    const port = await freePort();
    const started = spawnIn(
      'npm',
      ['run', 'start:orders'],
      { ORDERS_PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' },
      { detached: true },
    );
    await waitForHealth(`http://127.0.0.1:${port}/health`, started);
    killGroup(started, 'SIGTERM');
    const code = await exitWithin(started, 20_000);
    expect(code, started.output()).toBe(0);
    expect(started.output().match(/draining in-flight requests/g)).toHaveLength(1);
    expect(started.output()).toMatch(/"msg":"stopped"/);
  });
});
