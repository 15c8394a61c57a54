/**
 * One process per embedded database. PGlite opens its folder without any lock of its own, so two
 * processes on one `DATA_DIR/<subgraph>` would each write their own view of the files and one
 * would lose the other's confirmed writes. A lock file beside the folder holds the owner's pid;
 * a lock whose pid is no longer alive (a killed process) is stale and taken over.
 */
import { openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(`The embedded database ${dataDir} is in use by process ${ownerPid}: stop it, or give this one another DATA_DIR`);
  }
}

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

/** Folders this process holds: a pid equal to ours in a lock file we did not take is stale (PID 1 in containers). */
const held = new Set<string>();

export function lockDataDir(dataDir: string): DataDirLock {
  const file = `${dataDir}.lock`;
  if (held.has(file)) throw new DataDirInUseError(dataDir, process.pid);
  if (!tryCreate(file)) {
    const owner = ownerOf(file);
    if (owner !== undefined && owner !== process.pid && isAlive(owner)) throw new DataDirInUseError(dataDir, owner);
    unlinkSync(file);
    // Two processes taking over one stale lock: the one that creates the file again wins, the
    // other refuses (unless both read the stale pid before either wrote: a narrow window left open).
    if (!tryCreate(file)) throw new DataDirInUseError(dataDir, ownerOf(file) ?? 0);
  }
  held.add(file);
  return {
    file,
    release() {
      if (!held.delete(file)) return;
      if (ownerOf(file) === process.pid) unlinkSync(file);
    },
  };
}

/** A one-line message and exit 1 for a folder in use; any other error is rethrown. */
export function exitIfDataDirInUse(error: unknown): never {
  if (!(error instanceof DataDirInUseError)) throw error;
  console.error(error.message);
  process.exit(1);
}

function tryCreate(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  writeSync(fd, `${process.pid}\n`);
  closeSync(fd);
  return true;
}

function ownerOf(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
