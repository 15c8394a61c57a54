/** The trusted document variables, parsed with the rest of the gateway's configuration (config.ts). */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export type TrustedDocumentsMode = 'off' | 'log' | 'enforce';

export interface TrustedDocumentsConfig {
  mode: TrustedDocumentsMode;
  manifestPath: string;
}

/** The manifest `npm run operations` writes, found from the code rather than the working directory. */
export const DEFAULT_MANIFEST_PATH = fileURLToPath(new URL('../../../operations/manifest.json', import.meta.url));

export const trustedDocumentsEnv = {
  TRUSTED_DOCUMENTS: z.enum(['off', 'log', 'enforce']).default('off'),
  TRUSTED_DOCUMENTS_MANIFEST: z.string().min(1).default(DEFAULT_MANIFEST_PATH),
};

export function readTrustedDocuments(env: {
  TRUSTED_DOCUMENTS: TrustedDocumentsMode;
  TRUSTED_DOCUMENTS_MANIFEST: string;
}): TrustedDocumentsConfig {
  return { mode: env.TRUSTED_DOCUMENTS, manifestPath: env.TRUSTED_DOCUMENTS_MANIFEST };
}
