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
