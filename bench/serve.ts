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
 * compare. `profile`: start the CPU profiler, or stop it and write the profile (the same format as
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

process.on('message', async (message: ServeRequest) => {
  if (message.type === 'stats') {
    if (message.settle && globalThis.gc) {
      // V8 hands freed pages back a little after a full collection: read RSS once it has.
      globalThis.gc();
      await sleep(500);
      globalThis.gc();
      await sleep(200);
    }
    const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
    const { user, system } = process.cpuUsage();
    reply({ type: 'stats', rss, heapUsed, heapTotal, external, cpuMicros: user + system, connections, requests });
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
