/**
 * `npm start [-- --pretty | --no-pretty]`: the gateway and the three subgraphs, each its own
 * process in this process group, on the configured ports (`PORT`, `ORDERS_PORT`, ...; the
 * gateway and payments call the subgraphs at `*_URL`, which default to those ports). Logs are
 * relayed line by line, prefixed, pretty on a terminal. Demo tokens are printed once everything
 * answers /health; a slow start is reported, never cut short. Ctrl-C or SIGTERM stops all.
 *
 * Node runs this file by stripping its types (no tsx), and it loads nothing but Node's own modules
 * and the roster: it stays small (see docs/performance.md, Start-up). Health is asked with
 * node:http rather than fetch, and the demo tokens are minted by a short-lived child.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SUBGRAPHS } from '#roster';

const SLOW_START_REPORT_MS = 30_000;

interface Service {
  name: string;
  script: string;
  /** Where it serves GraphQL, as printed. */
  url: string;
  /** What this launcher waits on before printing the tokens. */
  health: string[];
}

/**
 * Each subgraph's URL as configured, else its local port; the children get the same environment.
 * Values are taken as given: a bad one makes its service refuse to start, listing every problem,
 * and that stops the launcher too (which stays small by not loading the services' config code).
 */
function plan(env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; services: Service[]; sandbox: string } {
  const childEnv: NodeJS.ProcessEnv = { APOLLO_TELEMETRY_DISABLED: 'true', ...env };
  const gatewayPort = Number(env.PORT || 4000);
  childEnv.GATEWAY_JWKS_URL ??= `http://localhost:${gatewayPort}/.well-known/jwks.json`;
  const subgraphs = SUBGRAPHS.map(({ name, defaultPort, urlVariable }) => {
    const port = env[`${name.toUpperCase()}_PORT`] || defaultPort;
    childEnv[urlVariable] ||= `http://localhost:${port}/graphql`;
    const health = new Set([`http://localhost:${port}/health`, healthOf(childEnv[urlVariable]!)]);
    const script = `subgraphs/${name}/src/main.ts`;
    return { name, script, url: childEnv[urlVariable]!, health: [...health].filter((url) => url !== undefined) };
  });
  const sandbox = `http://localhost:${gatewayPort}/graphql`;
  const gateway = {
    name: 'gateway',
    script: 'gateway/src/main.ts',
    url: sandbox,
    health: [`http://localhost:${gatewayPort}/health`],
  };
  return { env: childEnv, services: [gateway, ...subgraphs], sandbox };
}

/** `/health` beside a subgraph's GraphQL URL; none for a URL the gateway will refuse anyway. */
function healthOf(url: string): string | undefined {
  return URL.canParse(url) ? new URL('/health', url).href : undefined;
}

const { values: flags } = parseArgs({
  options: { pretty: { type: 'boolean', default: Boolean(process.stdout.isTTY) } },
  allowNegative: true,
});
const formatLine = flags.pretty ? await prettyFormatter() : (line: string) => `${line}\n`;

/** pino-pretty (a development dependency) per line; lines that are not JSON logs pass as they are. */
async function prettyFormatter(): Promise<(line: string) => string> {
  const { prettyFactory } = await import('pino-pretty');
  const pretty = prettyFactory({ colorize: true, ignore: 'pid,hostname,service', translateTime: 'HH:MM:ss.l' });
  return (line) => (line.startsWith('{') ? pretty(line) : `${line}\n`);
}

const children: ChildProcess[] = [];
let stopping = false;

function launch(service: Service, env: NodeJS.ProcessEnv): ChildProcess {
  // Not detached: the children stay in our process group and die with it.
  const child = spawn(process.execPath, ['--import', 'tsx', service.script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${service.name}]`.padEnd(12);
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => process.stdout.write(prefix + formatLine(line)));
  }
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${prefix}exited (${signal ?? code}); stopping everything`);
    void stop(1);
  });
  return child;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// An ESM import of node:http evaluates every export it has, WebSocket (undici) included: 15 MB more.
const { get } = process.getBuiltinModule('node:http');

/** One GET: true for a 2xx within 2 s; false for any other answer, no answer, or no listener yet. */
function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get(url, { timeout: 2_000 }, (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      resolve(status >= 200 && status < 300);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/** Polls until `url` answers 2xx; no overall deadline (the caller reports slowness). */
async function healthy(url: string): Promise<void> {
  while (!(await answers(url))) await pause(100);
}

async function waitForAll(urls: string[]): Promise<void> {
  const waiting = new Set(urls);
  const startedAt = Date.now();
  const report = setInterval(() => {
    const seconds = Math.round((Date.now() - startedAt) / 1000);
    console.error(`still starting after ${seconds}s, waiting for: ${[...waiting].join(', ')}`);
  }, SLOW_START_REPORT_MS);
  await Promise.all(urls.map((url) => healthy(url).then(() => waiting.delete(url))));
  clearInterval(report);
  return void console.error(`ready in ${((Date.now() - startedAt) / 1000).toFixed(1)}s`);
}

async function stop(code: number): Promise<never> {
  stopping = true;
  const exits = children.map((child) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
  );
  await Promise.race([Promise.all(exits), pause(10_000)]);
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  process.exit(code);
}

/** scripts/demoTokens.ts's text, run the way this launcher was (same Node and flags), within 30 s. */
function demoTokens(env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(new URL('demoTokens.ts', import.meta.url))], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 30_000,
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('close', (code, signal) =>
      resolve(code === 0 ? text : `No demo tokens: the token printer exited (${signal ?? code}).\n`),
    );
    child.on('error', (error) => resolve(`No demo tokens: ${error.message}.\n`));
  });
}

// A second signal (npm forwards the group's SIGTERM) must not fall back to Node's default exit.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void (stopping || stop(0)));

const { env, services, sandbox } = plan(process.env);
for (const service of services) children.push(launch(service, env));
await waitForAll(services.flatMap((service) => service.health));

console.log(`
Apollo Sandbox: ${sandbox}
${services.map((service) => `  ${service.name.padEnd(10)} ${service.url}`).join('\n')}

${await demoTokens(env)}`);
