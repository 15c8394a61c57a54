import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
