/**
 * A JSON request body read straight off Node's request, with what body-parser's `json()` checks:
 * a byte limit (refused before reading when Content-Length says so), the media type, UTF-8, and a
 * top-level object or array. Anything else is the client's mistake, answered 4xx in words.
 */
import type { IncomingMessage } from 'node:http';

/** A body refused, with the status and words the client gets. */
export class BodyRejected extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * The parsed body of a JSON request; undefined when the request carries none or is not JSON (the
 * GraphQL layer then says what it wanted).
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const declaredBytes = Number(req.headers['content-length'] ?? 0);
  const hasBody = req.headers['transfer-encoding'] !== undefined || declaredBytes > 0;
  if (!hasBody || !JSON_TYPE.test(req.headers['content-type'] ?? '')) {
    req.resume();
    return undefined;
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') throw drained(req, new BodyRejected(415, `Content-Encoding ${encoding} is not accepted`));
  const charset = /;\s*charset=("?)([^";\s]+)\1/i.exec(req.headers['content-type']!)?.[2]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw drained(req, new BodyRejected(415, `Charset ${charset} is not accepted: send UTF-8`));
  }
  if (declaredBytes > limitBytes) throw drained(req, tooLarge(limitBytes));
  const text = await readText(req, limitBytes);
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) return {};
  if (first !== '{' && first !== '[') throw new BodyRejected(400, 'Malformed request body');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyRejected(400, 'Malformed request body');
  }
}

function readText(req: IncomingMessage, limitBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = 0;
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      received += Buffer.byteLength(chunk);
      if (received > limitBytes) {
        reject(drained(req, tooLarge(limitBytes)));
        return;
      }
      text += chunk;
    });
    req.once('end', () => resolve(text));
    req.once('error', () => reject(new BodyRejected(400, 'The request body was cut short')));
    req.once('close', () => req.complete || reject(new BodyRejected(400, 'The request body was cut short')));
  });
}

const tooLarge = (limitBytes: number) => new BodyRejected(413, `Request body exceeds the limit of ${limitBytes} bytes`);

/** The rest of the body is read and dropped, so the answer can go out on a connection still usable. */
function drained(req: IncomingMessage, error: BodyRejected): BodyRejected {
  req.removeAllListeners('data');
  req.resume();
  return error;
}
