import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from './dataDirLock.ts';
import { openDatabase } from './db.ts';

const folders: string[] = [];
const dataDir = () => {
  const folder = mkdtempSync(join(tmpdir(), 'lock-'));
  folders.push(folder);
  return join(folder, 'orders');
};
afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** The pid of a process that has exited: what a lock left by a killed process holds. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('lockDataDir', () => {
  it('writes the owner pid beside the folder and removes it on release', () => {
    const dir = dataDir();
    const lock = lockDataDir(dir);
    expect(readFileSync(`${dir}.lock`, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it('refuses a folder another live process holds, naming that process', () => {
    const dir = dataDir();
    writeFileSync(`${dir}.lock`, `${process.ppid}\n`);
    expect(() => lockDataDir(dir)).toThrow(new DataDirInUseError(dir, process.ppid));
    expect(readFileSync(`${dir}.lock`, 'utf8').trim()).toBe(String(process.ppid));
  });

  it('refuses a folder this process already holds', () => {
    const dir = dataDir();
    const lock = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(/is in use by process/);
    lock.release();
  });

  it('takes over a stale lock: its pid is no longer alive, or unreadable', () => {
    for (const stale of [`${deadPid()}\n`, 'garbage']) {
      const dir = dataDir();
      writeFileSync(`${dir}.lock`, stale);
      const lock = lockDataDir(dir);
      expect(readFileSync(`${dir}.lock`, 'utf8').trim()).toBe(String(process.pid));
      lock.release();
    }
  });

  it('takes over a lock holding its own pid that it did not take (a container restarted as PID 1)', () => {
    const dir = dataDir();
    writeFileSync(`${dir}.lock`, `${process.pid}\n`);
    lockDataDir(dir).release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });
});

describe('openDatabase (PGlite)', () => {
  it('holds the lock while open and releases it on close', async () => {
    const dir = dataDir();
    const db = await openDatabase({ driver: 'pglite', dataDir: dir });
    await expect(openDatabase({ driver: 'pglite', dataDir: dir })).rejects.toBeInstanceOf(DataDirInUseError);
    await db.close();
    const reopened = await openDatabase({ driver: 'pglite', dataDir: dir });
    await reopened.close();
  }, 120_000);
});
