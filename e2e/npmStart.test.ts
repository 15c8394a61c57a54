/**
 * `npm start` as a newcomer runs it: four processes on :4000-4003, demo tokens printed, the
 * README's first query answered, everything gone and exit code 0 after SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postGraphQL } from './stack.ts';

const PORTS = [4000, 4001, 4002, 4003];

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });

const portsFree = async () => (await Promise.all(PORTS.map(portIsFree))).every(Boolean);

describe('npm start', async () => {
  const free = await portsFree();
  if (!free) console.warn('Skipping the npm start test: ports 4000-4003 are taken on this machine');

  it.skipIf(!free)('serves the demo, prints tokens, and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
    const child = spawn('npm', ['start'], {
      cwd: new URL('..', import.meta.url).pathname,
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 200_000;
      while (!output.includes('Paste one of these') && Date.now() < deadline && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(output).toContain('Apollo Sandbox: http://localhost:4000/graphql');
      const alice = /alice\s+customer\s+Bearer (\S+)/.exec(output)?.[1];
      expect(alice).toBeDefined();
      const response = await postGraphQL('http://localhost:4000/graphql', '{ myOrders { id items { product { name } } } }', { token: alice });
      expect(response.body.data.myOrders[0]).toEqual({ id: 'order-1', items: [{ product: { name: 'Mechanical Keyboard' } }, { product: { name: 'Wireless Mouse' } }] });
    } finally {
      child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) console.error(output.slice(-3000));
      expect(code).toBe(0);
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect(await portsFree()).toBe(true);
  }, 260_000);
});
