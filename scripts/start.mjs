// @ts-check
/* global setTimeout, setInterval, clearInterval -- Node's timers, which the lint config does not list for JavaScript. */
/**
 * `npm start [-- --pretty | --no-pretty]`: the gateway and the three subgraphs, each its own
 * process in this process group, on the configured ports (`PORT`, `ORDERS_PORT`, ...; the
 * gateway and payments call the subgraphs at `*_URL`, which default to those ports). Logs are
 * relayed line by line, prefixed, pretty on a terminal. Demo tokens are printed once everything
 * answers /health; a slow start is reported, never cut short. Ctrl-C or SIGTERM stops all.
 *
 * Plain JavaScript (typechecked through the JSDoc types, `tsc -p .`), so Node runs it without its
 * TypeScript stripper (16 MB), and it loads nothing but Node's own modules: it stays small (see
 * docs/performance.md, Start-up). Built-ins come through `process.getBuiltinModule`, since an ESM
 * import of node:http evaluates every export it has, undici's WebSocket included (15 MB). The
 * subgraphs come from start.roster.json, a copy of schema/roster.ts's list that a test holds equal.
 * Health is asked with node:http rather than fetch (undici), and the demo tokens are minted by a
 * short-lived child (jose and WebCrypto).
 */
const { spawn } = process.getBuiltinModule('node:child_process');
const { readFileSync } = process.getBuiltinModule('node:fs');
const { get } = process.getBuiltinModule('node:http');
const { fileURLToPath } = process.getBuiltinModule('node:url');
const { parseArgs } = process.getBuiltinModule('node:util');

const SLOW_START_REPORT_MS = 30_000;

/**
 * @typedef {object} Service
 * @property {string} name
 * @property {string} script
 * @property {string} url Where it serves GraphQL, as printed.
 * @property {string[]} health What this launcher waits on before printing the tokens.
 */

/** @typedef {{ name: string; defaultPort: number; urlVariable: string }} RosterEntry */

/** @type {RosterEntry[]} */
const SUBGRAPHS = JSON.parse(readFileSync(new URL('start.roster.json', import.meta.url), 'utf8'));

/**
 * Each subgraph's URL as configured, else its local port; the children get the same environment.
 * Values are taken as given: a bad one makes its service refuse to start, listing every problem,
 * and that stops the launcher too (which stays small by not loading the services' config code).
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ env: NodeJS.ProcessEnv; services: Service[]; sandbox: string }}
 */
function plan(env) {
  /** @type {NodeJS.ProcessEnv} */
  const childEnv = { APOLLO_TELEMETRY_DISABLED: 'true', ...env };
  const gatewayPort = Number(env.PORT || 4000);
  childEnv.GATEWAY_JWKS_URL ??= `http://localhost:${gatewayPort}/.well-known/jwks.json`;
  const subgraphs = SUBGRAPHS.map(({ name, defaultPort, urlVariable }) => {
    const port = env[`${name.toUpperCase()}_PORT`] || defaultPort;
    const url = (childEnv[urlVariable] ||= `http://localhost:${port}/graphql`);
    const health = new Set([`http://localhost:${port}/health`, healthOf(url)]);
    const script = `subgraphs/${name}/src/main.ts`;
    return { name, script, url, health: [...health].filter((entry) => entry !== undefined) };
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

/**
 * `/health` beside a subgraph's GraphQL URL; none for a URL the gateway will refuse anyway.
 * @param {string} url
 */
function healthOf(url) {
  return URL.canParse(url) ? new URL('/health', url).href : undefined;
}

const { values: flags } = parseArgs({
  options: { pretty: { type: 'boolean', default: Boolean(process.stdout.isTTY) } },
  allowNegative: true,
});
const formatLine = flags.pretty ? await prettyFormatter() : (/** @type {string} */ line) => `${line}\n`;

/**
 * pino-pretty (a development dependency) per line; lines that are not JSON logs pass as they are.
 * @returns {Promise<(line: string) => string>}
 */
async function prettyFormatter() {
  const { prettyFactory } = await import('pino-pretty');
  const pretty = prettyFactory({ colorize: true, ignore: 'pid,hostname,service', translateTime: 'HH:MM:ss.l' });
  return (line) => (line.startsWith('{') ? pretty(line) : `${line}\n`);
}

/**
 * Calls `onLine` with each complete line of `stream` (without its `\n` or `\r\n`), and with the
 * unterminated rest when the stream ends. Split by hand: node:readline costs memory for nothing here.
 * @param {import('node:stream').Readable} stream
 * @param {(line: string) => void} onLine
 */
function eachLine(stream, onLine) {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (/** @type {string} */ chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  });
  stream.on('end', () => rest && onLine(rest));
}

/** @type {import('node:child_process').ChildProcess[]} */
const children = [];
let stopping = false;

/**
 * @param {Service} service
 * @param {NodeJS.ProcessEnv} env
 */
function launch(service, env) {
  // Not detached: the children stay in our process group and die with it.
  // One V8 worker thread instead of one per core: about 20 MB less per process for a development
  // stack whose collections are small; production runs the images, which leave V8 its default.
  const flags = ['--v8-pool-size=1', '--import', 'tsx'];
  const child = spawn(process.execPath, [...flags, service.script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${service.name}]`.padEnd(12);
  for (const stream of [child.stdout, child.stderr]) eachLine(stream, (line) => process.stdout.write(prefix + formatLine(line)));
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${prefix}exited (${signal ?? code}); stopping everything`);
    void stop(1);
  });
  return child;
}

const pause = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One GET: true for a 2xx within 2 s; false for any other answer, no answer, or no listener yet.
 * @param {string} url
 * @returns {Promise<boolean>}
 */
function answers(url) {
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

/**
 * Polls until `url` answers 2xx; no overall deadline (the caller reports slowness).
 * @param {string} url
 */
async function healthy(url) {
  while (!(await answers(url))) await pause(100);
}

/** @param {string[]} urls */
async function waitForAll(urls) {
  const waiting = new Set(urls);
  const startedAt = Date.now();
  const report = setInterval(() => {
    const seconds = Math.round((Date.now() - startedAt) / 1000);
    console.error(`still starting after ${seconds}s, waiting for: ${[...waiting].join(', ')}`);
  }, SLOW_START_REPORT_MS);
  await Promise.all(urls.map((url) => healthy(url).then(() => waiting.delete(url))));
  clearInterval(report);
  console.error(`ready in ${((Date.now() - startedAt) / 1000).toFixed(1)}s`);
}

/**
 * @param {number} code
 * @returns {Promise<never>}
 */
async function stop(code) {
  stopping = true;
  const exits = children.map((child) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => {
          child.once('exit', resolve);
          child.kill('SIGTERM');
        }),
  );
  await Promise.race([Promise.all(exits), pause(10_000)]);
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  process.exit(code);
}

/**
 * scripts/demoTokens.ts's text, within 30 s. It is TypeScript: Node strips its types there, in
 * that child, so this process never loads the stripper.
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<string>}
 */
function demoTokens(env) {
  return new Promise((resolve) => {
    const script = fileURLToPath(new URL('demoTokens.ts', import.meta.url));
    const child = spawn(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', script], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 30_000,
    });
    let text = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (/** @type {string} */ chunk) => (text += chunk));
    child.on('close', (code, signal) =>
      resolve(code === 0 ? text : `No demo tokens: the token printer exited (${signal ?? code}).\n`),
    );
    child.on('error', (error) => resolve(`No demo tokens: ${error.message}.\n`));
  });
}

// A second signal (npm forwards the group's SIGTERM) must not fall back to Node's default exit.
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => void (stopping || stop(0)));

const { env, services, sandbox } = plan(process.env);
for (const service of services) children.push(launch(service, env));
await waitForAll(services.flatMap((service) => service.health));

console.log(`
Apollo Sandbox: ${sandbox}
${services.map((service) => `  ${service.name.padEnd(10)} ${service.url}`).join('\n')}

${await demoTokens(env)}`);
