import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;

/**
 * Runs `code` (ES module statements, paths from the project's root) in a fresh Node process under
 * tsx and lists the URL of every module resolved meanwhile: what a process that does just this loads.
 */
export function modulesResolvedBy(code: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const script = `
const { registerHooks } = await import('node:module');
const resolved = [];
registerHooks({ resolve: (specifier, context, next) => { const result = next(specifier, context); resolved.push(result.url); return result; } });
${code}
console.log(JSON.stringify(resolved));
`;
  const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(output.trim().split('\n').at(-1)!) as string[];
}

/** A loopback port free right now, for a server that must know its port before it listens. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A throwaway folder for files a test hands to the code (secrets, manifests); `remove` it after. */
export function temporaryFolder(prefix: string) {
  const folder = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return {
    /** Writes `contents` to `name` in the folder and returns the file's path. */
    write(name: string, contents: string): string {
      const file = join(folder, name);
      writeFileSync(file, contents);
      return file;
    },
    /** The path of `name` in the folder, written or not. */
    path: (name: string) => join(folder, name),
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

/**
 * Registers an in-memory tracer provider (and the async-hooks context manager, as the SDK does),
 * for tests that read the spans code made. `stop` unregisters everything again.
 */
export async function recordSpans() {
  const { context, propagation, trace } = await import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { W3CTraceContextPropagator } = await import('@opentelemetry/core');
  const { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } = await import('@opentelemetry/sdk-trace');
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    spans: () => exporter.getFinishedSpans(),
    async stop() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
