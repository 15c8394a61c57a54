/**
 * A service run as its own process, the way `npm run start:*` runs it: for faults only a process
 * can have (SIGSTOP, SIGTERM, exit codes).
 */
import { spawnIn, waitForHealth as waitForUrl, type Spawned } from './spawned.ts';

export type ChildService = Spawned;

export const startChildService = (script: string, env: NodeJS.ProcessEnv): ChildService =>
  spawnIn(process.execPath, ['--import', 'tsx', script], env);

/** Resolves once `GET /health` on `port` answers 200; rejects if the process exits or 120 s pass. */
export const waitForHealth = (port: number, service: ChildService): Promise<void> =>
  waitForUrl(`http://127.0.0.1:${port}/health`, service);
