/**
 * What an operator causes and fixes at start-up (a port in use, a database that does not answer, a
 * folder it may not write) is said in one line naming the variable and what to do, and the process
 * exits 1. Any other error is a bug and keeps its stack.
 */
import { ConfigError } from './env.ts';

export interface StartupSettings {
  service: string;
  /** Each port the service listens on, and the variable that set it. */
  ports: ReadonlyArray<{ variable: string; port: number }>;
  /** The database server and the variable naming it; only its host and port are ever printed. */
  database?: { variable: string; url: string };
  /** Folders the service writes under, and the variable that chose each. */
  files?: ReadonlyArray<{ variable: string; path: string }>;
}

/** A start-up failure already said in the operator's words: printed as it is, without a stack. */
export class StartupProblem extends Error {}

type ErrorLike = Error & { code?: unknown; port?: unknown; address?: unknown; path?: unknown };

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'refused the connection',
  ECONNRESET: 'closed the connection',
  ENOTFOUND: 'has no such host',
  EAI_AGAIN: 'has no such host (DNS did not answer)',
  ETIMEDOUT: 'did not answer',
  EHOSTUNREACH: 'did not answer (host unreachable)',
  ENETUNREACH: 'did not answer (network unreachable)',
  '28P01': 'refused the credentials',
  '28000': 'refused the connection for this user',
  '3D000': 'has no such database',
};

/** The one line for `error`, or undefined when it is not a failure the operator can fix. */
export function startupFailureLine(error: unknown, settings: StartupSettings): string | undefined {
  for (const cause of causesOf(error)) {
    if (cause instanceof StartupProblem) return `${settings.service} cannot start: ${cause.message}`;
    const problem = portProblem(cause, settings) ?? databaseProblem(cause, settings) ?? fileProblem(cause, settings);
    if (problem) return `${settings.service} cannot start: ${problem}`;
  }
  return undefined;
}

/** `read()`'s configuration, or its ConfigError (every problem, one per line) printed and exit 1. */
export function exitOnConfigError<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/** For `.catch()` around start-up: prints the line and exits 1, or rethrows what is not the operator's. */
export function exitOnStartupFailure(settings: StartupSettings): (error: unknown) => never {
  return (error) => {
    const line = startupFailureLine(error, settings);
    if (line === undefined) throw error;
    console.error(line);
    process.exit(1);
  };
}

function portProblem(error: ErrorLike, settings: StartupSettings): string | undefined {
  const listened = settings.ports.find(({ port }) => port === error.port);
  if (!listened || typeof error.code !== 'string') return undefined;
  const set = `${listened.variable}=${listened.port}`;
  if (error.code === 'EADDRINUSE')
    return `${set} is in use by another process; stop it, or set ${listened.variable} to a free port`;
  if (error.code === 'EACCES') return `${set} needs privileges this process lacks; set ${listened.variable} to a port above 1023`;
  if (error.code === 'EADDRNOTAVAIL') return `${String(error.address)} is not an address of this machine; check HOST`;
  return undefined;
}

function databaseProblem(error: ErrorLike, settings: StartupSettings): string | undefined {
  if (!settings.database) return undefined;
  const timedOut = /timeout exceeded when trying to connect|connection timeout/i.test(error.message);
  const reason = timedOut ? UNREACHABLE.ETIMEDOUT : UNREACHABLE[String(error.code)];
  if (!reason) return undefined;
  const { variable, url } = settings.database;
  return `the database at ${serverOf(url)} (${variable}) ${reason}; check that ${variable} points at a running PostgreSQL server`;
}

function fileProblem(error: ErrorLike, settings: StartupSettings): string | undefined {
  if (!['EACCES', 'EPERM', 'EROFS'].includes(String(error.code)) || typeof error.path !== 'string') return undefined;
  const path = error.path;
  const folder = settings.files?.find((candidate) => path === candidate.path || path.startsWith(`${candidate.path}/`));
  if (!folder) return undefined;
  return `cannot write ${path} (${String(error.code)}): give this process that folder, or set ${folder.variable} to one it may write`;
}

/** Host and port only: the URL's user and password stay out of every log. */
function serverOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}`;
  } catch {
    return 'the configured server';
  }
}

/** The error, its causes, and the attempts of an AggregateError (one per address tried). */
function causesOf(error: unknown, depth = 0): ErrorLike[] {
  if (!(error instanceof Error) || depth > 5) return [];
  const nested = error instanceof AggregateError ? error.errors : [];
  return [error, ...causesOf(error.cause, depth + 1), ...nested.flatMap((inner: unknown) => causesOf(inner, depth + 1))];
}
