import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { KeyMaterialRejected, readIdentitySigningKey } from '#identity';
import { StartupProblem } from '#platform';

/**
 * The development gateway's identity signing key, kept in `file` (mode 0600) so that a restart
 * signs with the key the subgraphs already hold, instead of a new one they must refetch. Created
 * on first use; production never comes here (it requires IDENTITY_SIGNING_KEY). A file that holds
 * no usable key (truncated, edited) is refused in words, never replaced behind the operator's back.
 */
export function loadOrCreateDevSigningKey(file: string): KeyObject {
  const pem = readOrCreate(file);
  try {
    return readIdentitySigningKey(pem);
  } catch (error) {
    if (!(error instanceof KeyMaterialRejected)) throw error;
    throw new StartupProblem(
      `the development signing key ${file} (under DATA_DIR) ${error.message}; ` +
        'delete it to have a new one made, or set IDENTITY_SIGNING_KEY',
    );
  }
}

function readOrCreate(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    // `wx`: when two gateways start at once, the second reads the first one's key.
    writeFileSync(file, pem, { flag: 'wx', mode: 0o600 });
    return pem;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8');
    throw error;
  }
}
