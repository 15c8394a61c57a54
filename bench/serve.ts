/**
 * A child process of the benchmark: runs one service (argv[2], a JSON ServiceSpec) and answers the
 * runner over IPC with its memory, the CPU time it has used (the price of each layer) and, for a
 * subgraph, how many TCP connections and requests it has taken (the keep-alive check). Garbage is
 * collected on request only, between timed runs, never during one.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { launchService, type ServiceSpec } from './launch.ts';

/**
 * `stats`, with `settle`: collect garbage first (the process runs with --expose-gc), so memory reads
 * compare: an ordinary full collection, read, then V8's memory-reducing one, read again.
 * `profile`: start the CPU profiler, or stop it and write the profile (the same format as
 * `node --cpu-prof`, but covering the timed runs only, not start-up).
 */
export type ServeRequest =
  | { type: 'stats'; settle?: boolean }
  | { type: 'profile'; start: true }
  | { type: 'profile'; start: false; file: string }
  | { type: 'stop' };
export type ServeReply =
  | { type: 'ready'; url: string }
  | {
      type: 'stats';
      rss: number;
      /** With `settle`: RSS after the ordinary collection, before the memory-reducing one. */
      rssAfterOrdinaryGc?: number;
      heapUsed: number;
      heapTotal: number;
      external: number;
      cpuMicros: number;
      connections: number;
      requests: number;
    }
  | { type: 'profiled' };

const spec = JSON.parse(process.argv[2]!) as ServiceSpec;
const service = await launchService(spec);

let connections = 0;
let requests = 0;
service.httpServer?.on('connection', () => connections++);
service.httpServer?.on('request', () => requests++);

const reply = (message: ServeReply) => process.send!(message);
const profiler = new Session();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An ordinary full collection leaves V8's young generation at the size the load grew it to, and
 * the pages it freed pooled for reuse: both scale with the allocation rate, and V8 gives them back
 * by itself once the process idles (its memory reducer) or the system runs short. The memory-
 * reducing collection gives them back at once, leaving what the service holds. Returns the RSS
 * after the ordinary collection; the caller reads the rest after the reducing one.
 */
async function settle(): Promise<number | undefined> {
  const gc = globalThis.gc;
  if (!gc) return undefined;
  // V8 hands freed pages back a little after a full collection: read RSS once it has.
  const collect = async (flavor: 'regular' | 'last-resort') => {
    gc({ type: 'major', execution: 'sync', flavor });
    await sleep(500);
    gc({ type: 'major', execution: 'sync', flavor });
    await sleep(200);
  };
  await collect('regular');
  const { rss } = process.memoryUsage();
  await collect('last-resort');
  return rss;
}

process.on('message', async (message: ServeRequest) => {
  if (message.type === 'stats') {
    const rssAfterOrdinaryGc = message.settle ? await settle() : undefined;
    const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
    const { user, system } = process.cpuUsage();
    reply({
      type: 'stats',
      rss,
      ...(rssAfterOrdinaryGc === undefined ? {} : { rssAfterOrdinaryGc }),
      heapUsed,
      heapTotal,
      external,
      cpuMicros: user + system,
      connections,
      requests,
    });
  } else if (message.type === 'profile') {
    if (message.start) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    } else {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(message.file, JSON.stringify(profile));
      profiler.disconnect();
    }
    reply({ type: 'profiled' });
  } else if (message.type === 'stop') {
    await service.stop();
    process.exit(0);
  }
});
// The runner owns this process: when it goes, so does this service.
process.on('disconnect', () => process.exit(0));

reply({ type: 'ready', url: service.url });
