import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BodyRejected, readJsonBody } from './jsonBody.ts';

const LIMIT = 64;

/** Answers what readJsonBody made of the request: the parsed body, or the refusal's status and words. */
let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((req, res) => {
    readJsonBody(req, LIMIT).then(
      (body) => res.end(JSON.stringify({ body: body ?? null })),
      (error: unknown) => {
        const { status, message } = error as BodyRejected;
        res.end(JSON.stringify({ refused: error instanceof BodyRejected ? [status, message] : String(error) }));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** Sends `chunks` one write each (chunked unless `length` is given), with `headers`. */
function send(headers: Record<string, string>, chunks: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers }, (incoming) => {
      let text = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk: string) => (text += chunk));
      incoming.on('end', () => resolve(JSON.parse(text)));
    });
    outgoing.on('error', reject);
    for (const chunk of chunks) outgoing.write(chunk);
    outgoing.end();
  });
}

const json = { 'content-type': 'application/json' };

describe('readJsonBody', () => {
  it('parses a JSON object, whatever the chunks', async () => {
    expect(await send(json, ['{"query":', ' "{ a }"}'])).toEqual({ body: { query: '{ a }' } });
    expect(await send({ 'content-type': 'application/json; charset=UTF-8' }, ['[1,2]'])).toEqual({ body: [1, 2] });
  });

  it('reads an empty JSON body as {} and a body of another type as none', async () => {
    expect(await send({ ...json, 'content-length': '0' }, [])).toEqual({ body: null });
    expect(await send(json, ['  '])).toEqual({ body: {} });
    expect(await send({ 'content-type': 'text/plain' }, ['{"a":1}'])).toEqual({ body: null });
  });

  it('refuses malformed JSON and a bare scalar with 400', async () => {
    expect(await send(json, ['{"query": '])).toEqual({ refused: [400, 'Malformed request body'] });
    expect(await send(json, ['"just a string"'])).toEqual({ refused: [400, 'Malformed request body'] });
  });

  it('refuses a body over the limit with 413, whether Content-Length says so or the chunks do', async () => {
    const big = `{"a":"${'x'.repeat(LIMIT)}"}`;
    const refusal = { refused: [413, `Request body exceeds the limit of ${LIMIT} bytes`] };
    expect(await send({ ...json, 'content-length': String(big.length) }, [big])).toEqual(refusal);
    expect(await send(json, [big.slice(0, 40), big.slice(40)])).toEqual(refusal);
  });

  it('refuses other charsets and compressed bodies with 415', async () => {
    expect(await send({ 'content-type': 'application/json; charset=latin1' }, ['{}'])).toEqual({
      refused: [415, 'Charset latin1 is not accepted: send UTF-8'],
    });
    expect(await send({ ...json, 'content-encoding': 'gzip' }, ['{}'])).toEqual({
      refused: [415, 'Content-Encoding gzip is not accepted'],
    });
  });
});
