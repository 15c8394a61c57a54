/**
 * Trusted documents: with `TRUSTED_DOCUMENTS=enforce` the gateway runs only the operations in the
 * manifest that `npm run operations` builds from operations/*.graphql. A client sends a document
 * as its full text, or only its hash (`extensions.persistedQuery.sha256Hash`, as Automatic
 * Persisted Queries do), and the gateway fills in the text from the manifest. Anything else is
 * refused before it is parsed, and so is an APQ registration of a new document. `log` runs
 * everything but logs and counts what the manifest does not hold.
 *
 * Two checks: an Express handler before Apollo (refuses early, fills in hash-only requests), and
 * a plugin at `didResolveOperation` that checks the source Apollo actually parsed, so a request
 * the handler read differently from Apollo still cannot run.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Request, RequestHandler } from 'express';
import { GraphQLError } from 'graphql';
import { Counter, type Registry } from 'prom-client';
import { searchOf, type Logger } from '#platform';
import type { TrustedDocumentsConfig } from './config.ts';
import { documentHash, loadManifest, type Manifest } from './manifest.ts';

export const PERSISTED_QUERY_NOT_ALLOWED = 'PERSISTED_QUERY_NOT_ALLOWED';
const REFUSAL = 'Only trusted documents may run here: send a document from the manifest, or its sha256 hash';

export interface TrustedDocuments {
  readonly middleware: RequestHandler;
  readonly plugin: ApolloServerPlugin<{ log?: Logger }>;
}

export function createTrustedDocuments(config: TrustedDocumentsConfig, logger: Logger, registry: Registry): TrustedDocuments {
  if (config.mode === 'off') return { middleware: (_req, _res, next) => next(), plugin: {} };
  const manifest = loadManifest(config.manifestPath);
  logger.info({ mode: config.mode, documents: manifest.size }, 'trusted documents loaded');
  const untrusted = new Counter({
    name: 'untrusted_documents_total',
    help: 'GraphQL documents not in the trusted documents manifest, by what the gateway did',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const enforce = config.mode === 'enforce';
  // One line per request at most, like the operation log: `warn` when it ran, `info` when refused.
  const noted = (log: Logger | undefined, hash: string | undefined) => {
    untrusted.inc({ outcome: enforce ? 'refused' : 'logged' });
    (log ?? logger)[enforce ? 'info' : 'warn']({ documentHash: hash ?? null, mode: config.mode }, 'untrusted document');
  };

  return {
    middleware(req, res, next) {
      const unknown = graphQLRequestsOf(req).filter((request) => !trustedOrFilled(request, manifest));
      for (const request of unknown) {
        noted(res.locals.log as Logger | undefined, request.query === undefined ? request.hash : documentHash(request.query));
      }
      if (enforce && unknown.length > 0) {
        return void res.status(400).json({ errors: [{ message: REFUSAL, extensions: { code: PERSISTED_QUERY_NOT_ALLOWED } }] });
      }
      next();
    },
    plugin: {
      async requestDidStart() {
        return {
          async didResolveOperation({ source, contextValue }) {
            if (manifest.has(documentHash(source))) return;
            // The handler let this through, so it read the request differently or the mode is log.
            if (!enforce) return;
            noted(contextValue.log, documentHash(source));
            throw new GraphQLError(REFUSAL, { extensions: { code: PERSISTED_QUERY_NOT_ALLOWED, http: { status: 400 } } });
          },
        };
      },
    },
  };
}

interface GraphQLRequestText {
  query?: string;
  hash?: string;
  /** A parameter given twice: Apollo refuses it, and so does this handler. */
  ambiguous?: boolean;
  /** Puts the manifest's text into the request, for one that sent only the hash. */
  fill(document: string): void;
}

/**
 * True for a request whose document is in the manifest, or that names no document at all (Apollo
 * answers that one itself, and it runs nothing). A trusted hash-only request gets its text.
 */
function trustedOrFilled(request: GraphQLRequestText, manifest: Manifest): boolean {
  if (request.ambiguous) return false;
  if (request.query !== undefined) return manifest.has(documentHash(request.query));
  if (request.hash === undefined) return true;
  const document = manifest.get(request.hash);
  if (document === undefined) return false;
  request.fill(document);
  return true;
}

/**
 * The query text and hash of each operation in the request, read the way Apollo Server reads
 * them: a POST's JSON body (an object, or an array of them), a GET's search parameters taken from
 * the request's URL as our Apollo middleware reads them (not `req.query`, which Express stops
 * parsing after 1000 parameters).
 */
function graphQLRequestsOf(req: Request): GraphQLRequestText[] {
  if (req.method === 'POST') {
    const bodies: unknown[] = Array.isArray(req.body) ? req.body : [req.body];
    return bodies.map((body) =>
      isRecord(body) ? textOf(body.query, body.extensions, (document) => (body.query = document)) : { fill: () => {} },
    );
  }
  if (req.method !== 'GET') return [];
  const params = new URLSearchParams(searchOf(req.url));
  const [queries, extensions] = [params.getAll('query'), params.getAll('extensions')];
  const fill = (document: string) => (req.url = withQuery(req.url, document));
  if (queries.length > 1 || extensions.length > 1) return [{ ambiguous: true, fill }];
  return [textOf(queries[0], extensions[0] === undefined ? undefined : parseJson(extensions[0]), fill)];
}

function textOf(query: unknown, extensions: unknown, fill: (document: string) => void): GraphQLRequestText {
  const persisted = isRecord(extensions) ? extensions.persistedQuery : undefined;
  const hash = isRecord(persisted) && typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
  return {
    ...(typeof query === 'string' ? { query } : {}),
    ...(hash === undefined ? {} : { hash }),
    fill,
  };
}

function withQuery(url: string, query: string): string {
  const pathname = url.split(/[?#]/, 1)[0] || '/';
  const params = new URLSearchParams(searchOf(url));
  params.set('query', query);
  return `${pathname}?${params}`;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
