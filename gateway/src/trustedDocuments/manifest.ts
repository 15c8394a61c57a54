import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '#platform';

/** sha256 of the document text, hex: the hash Automatic Persisted Queries send. */
export const documentHash = (document: string): string => createHash('sha256').update(document).digest('hex');

/** The allow-list: document hash -> document text, exactly as `npm run operations` writes it. */
export type Manifest = ReadonlyMap<string, string>;

const manifestError = (problem: string) => new ConfigError('gateway', [`TRUSTED_DOCUMENTS_MANIFEST: ${problem}`]);

/**
 * Reads and checks the manifest: a JSON object of hash -> document in which every hash is the
 * document's own. A manifest edited by hand (or truncated) stops the gateway at start (a ConfigError) instead of
 * trusting a document under someone else's hash.
 */
export function loadManifest(path: string): Manifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw manifestError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw manifestError(`${path} must be a JSON object of hash -> document`);
  }
  const manifest = new Map<string, string>();
  for (const [hash, document] of Object.entries(parsed)) {
    if (typeof document !== 'string' || documentHash(document) !== hash) {
      throw manifestError(`${path} lists ${hash} for a document with another hash`);
    }
    manifest.set(hash, document);
  }
  return manifest;
}
