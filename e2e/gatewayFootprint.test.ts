/**
 * The gateway stands on the identity protocol and the shared plumbing, never on the subgraph kit:
 * its process must not load a database driver, graphql-shield or the subgraph library.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '#platform/testing';
import { exitWithin, spawnIn, waitForHealth, type Spawned } from './spawned.ts';

const SUBGRAPH_ONLY_PACKAGES = ['@electric-sql/pglite', 'pg', 'graphql-shield', 'graphql-middleware', '@apollo/subgraph'];

/** The npm packages among module URLs: `node_modules/<name>` or `node_modules/@scope/<name>`. */
function packagesIn(urls: string[]): Set<string> {
  const names = urls.flatMap((url) => {
    const match = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    return match ? [match[1]!] : [];
  });
  return new Set(names);
}

describe('the gateway process', { timeout: 120_000 }, () => {
  let folder: string;
  let gateway: Spawned;
  let loaded: Set<string>;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'gateway-footprint-'));
    const port = await freePort();
    const record = join(folder, 'modules.txt');
    gateway = spawnIn(process.execPath, ['--import', './e2e/moduleRecorder.mjs', '--import', 'tsx', 'gateway/src/main.ts'], {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: folder,
      RECORD_MODULES_TO: record,
    });
    await waitForHealth(`http://127.0.0.1:${port}/health/ready`, gateway);
    // One request through the whole pipeline, so modules loaded on first use are counted too.
    await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    loaded = packagesIn(readFileSync(record, 'utf8').split('\n'));
  });

  afterAll(async () => {
    gateway.child.kill('SIGTERM');
    await exitWithin(gateway, 15_000);
    rmSync(folder, { recursive: true, force: true });
  });

  it('is recorded loading its own stack, so the record is real', () => {
    expect(loaded).toContain('@apollo/gateway');
    expect(loaded).toContain('jose');
  });

  it.each(SUBGRAPH_ONLY_PACKAGES)('never loads %s', (name) => {
    expect(loaded).not.toContain(name);
  });
});
