import { afterAll, describe, expect, it } from 'vitest';
import { temporaryFolder } from '#platform/testing';
import { ConfigError } from '#platform';
import { DEFAULT_MANIFEST_PATH } from './config.ts';
import { documentHash, loadManifest } from './manifest.ts';

const files = temporaryFolder('manifest');
afterAll(files.remove);
const write = files.write;

describe('loadManifest', () => {
  it('hashes documents as APQ does: sha256 of the text, in hex', () => {
    expect(documentHash('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('loads the committed manifest', () => {
    const manifest = loadManifest(DEFAULT_MANIFEST_PATH);
    expect(manifest.size).toBeGreaterThan(5);
    for (const [hash, document] of manifest) expect(documentHash(document)).toBe(hash);
  });

  it('refuses to start on a document listed under another hash', () => {
    const path = write('forged.json', JSON.stringify({ [documentHash('{ products { sku } }')]: '{ orders { id } }' }));
    expect(() => loadManifest(path)).toThrow(ConfigError);
    expect(() => loadManifest(path)).toThrow(/TRUSTED_DOCUMENTS_MANIFEST: .* for a document with another hash/);
  });

  it('refuses a missing file or one that is not an object of strings', () => {
    expect(() => loadManifest(files.path('absent.json'))).toThrow(/TRUSTED_DOCUMENTS_MANIFEST: cannot read/);
    expect(() => loadManifest(write('array.json', '["{ a }"]'))).toThrow(/must be a JSON object/);
    expect(() => loadManifest(write('number.json', JSON.stringify({ [documentHash('1')]: 1 })))).toThrow(ConfigError);
  });
});
