/**
 * `npm start [-- --pretty | --no-pretty]`: the gateway and the three subgraphs, each its own
 * process in this process group, on the configured ports (`PORT`, `ORDERS_PORT`, ...; the
 * gateway and payments call the subgraphs at `*_URL`, which default to those ports). Logs are
 * relayed line by line, prefixed, pretty on a terminal. Demo tokens are printed once everything
 * answers /health; a slow start is reported, never cut short. Ctrl-C or SIGTERM stops all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { DEMO_USERS, mintClientToken } from './clientTokens.ts';

const SUBGRAPHS = [
  { name: 'orders', script: 'subgraphs/orders/src/main.ts', defaultPort: 4001 },
  { name: 'payments', script: 'subgraphs/payments/src/main.ts', defaultPort: 4002 },
  { name: 'inventory', script: 'subgraphs/inventory/src/main.ts', defaultPort: 4003 },
] as const;
const SLOW_START_REPORT_MS = 30_000;

interface Service {
  name: string;
  script: string;
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
  const subgraphs = SUBGRAPHS.map(({ name, script, defaultPort }) => {
    const port = env[`${name.toUpperCase()}_PORT`] || defaultPort;
    const urlVariable = `${name.toUpperCase()}_URL`;
    childEnv[urlVariable] ||= `http://localhost:${port}/graphql`;
    const health = new Set([`http://localhost:${port}/health`, healthOf(childEnv[urlVariable]!)]);
    return { name, script, health: [...health].filter((url) => url !== undefined) };
  });
  const gateway = { name: 'gateway', script: 'gateway/src/main.ts', health: [`http://localhost:${gatewayPort}/health`] };
  return { env: childEnv, services: [gateway, ...subgraphs], sandbox: `http://localhost:${gatewayPort}/graphql` };
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

/** Polls until `url` answers 2xx; no overall deadline (the caller reports slowness), 2 s per try. */
async function healthy(url: string): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      // not listening yet
    }
    await pause(250);
  }
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

async function printTokens(env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const tokens = await Promise.all(
      DEMO_USERS.map(async (user) => ({ user, token: await mintClientToken({ ...user, expiresIn: '12h' }, env) })),
    );
    const lines = tokens.map(
      ({ user, token }) => `  ${user.sub.padEnd(6)} ${(user.roles ?? []).join(',') || 'customer'}\n  Bearer ${token}\n`,
    );
    return `Paste one of these into Sandbox's Authorization header (valid 12 hours):\n${lines.join('\n')}`;
  } catch (error) {
    return `No demo tokens: ${(error as Error).message}.\n`;
  }
}

// A second signal (npm forwards the group's SIGTERM) must not fall back to Node's default exit.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void (stopping || stop(0)));

const { env, services, sandbox } = plan(process.env);
for (const service of services) children.push(launch(service, env));
await waitForAll(services.flatMap((service) => service.health));

console.log(`
Apollo Sandbox: ${sandbox}
${services.map((service) => `  ${service.name.padEnd(10)} ${service.name === 'gateway' ? sandbox : env[`${service.name.toUpperCase()}_URL`]}`).join('\n')}

${await printTokens(env)}`);
