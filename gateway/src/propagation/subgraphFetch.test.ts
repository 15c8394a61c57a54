import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSpans } from '#platform/testing';
import { createSubgraphHttpClient, isTimeout, withFetchBudget, type SubgraphHttpClient } from './subgraphFetch.ts';

const TIMEOUTS = { subgraphMs: 5_000, upstream: { connectMs: 1_000, keepAliveMs: 5_000, connectionsPerOrigin: 2 } };

/** What the test server does per path: answer, answer in two halves, or never answer. */
function serve(request: IncomingMessage, response: ServerResponse): void {
  if (request.url === '/graphql') {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      response.setHeader('content-type', 'application/json; charset=utf-8');
      response.setHeader('cache-control', 'max-age=30');
      response.end(JSON.stringify({ data: { echo: JSON.parse(body), identity: request.headers['x-identity'] } }));
    });
  } else if (request.url === '/refused') {
    response.writeHead(401, { 'content-type': 'text/plain' }).end('no entry');
  } else if (request.url === '/stalled-body') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write('{"data":');
  }
  // '/silent' never answers.
}

describe('the subgraph HTTP client', () => {
  let server: Server;
  let base: string;
  let client: SubgraphHttpClient;

  beforeAll(async () => {
    server = createServer(serve);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = createSubgraphHttpClient(TIMEOUTS);
  });

  afterAll(async () => {
    await client.close().catch(() => undefined);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends method, headers and body, and answers with status, headers and a JSON body', async () => {
    const response = await client.fetcher(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-identity': 'signed' },
      body: JSON.stringify({ query: '{ a }' }),
    });
    expect(response.ok).toBe(true);
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${base}/graphql`);
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('max-age=30');
    expect(await response.json()).toEqual({ data: { echo: { query: '{ a }' }, identity: 'signed' } });
    expect(response.bodyUsed).toBe(true);
  });

  it('hands over a refusal as a response, not an error, with its status text and text body', async () => {
    const response = await client.fetcher(`${base}/refused`, { method: 'POST', body: '{}' });
    expect([response.ok, response.status, response.statusText]).toEqual([false, 401, 'Unauthorized']);
    expect(await response.clone().text()).toBe('no entry');
    expect(await response.text()).toBe('no entry');
  });

  it.each(['/silent', '/stalled-body'])('ends %s at the fetch budget, as a timeout', async (path) => {
    const started = Date.now();
    const error = await withFetchBudget(300, () => client.fetcher(`${base}${path}`, { method: 'POST', body: '{}' })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect(isTimeout(error)).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('fails a fetch to a closed port as an error that is not a timeout', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await client
      .fetcher(`http://127.0.0.1:${port}/graphql`, { method: 'POST', body: '{}' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(isTimeout(error)).toBe(false);
  });

  it('speaks TLS to an https: subgraph and checks its certificate: a self-signed one is refused', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'subgraph-tls-'));
    const [key, cert] = [join(folder, 'key.pem'), join(folder, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const tls = createTlsServer({ key: readFileSync(key), cert: readFileSync(cert) }, serve);
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/graphql`;
      const error = await client.fetcher(url, { method: 'POST', body: '{}' }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    } finally {
      tls.closeAllConnections();
      await new Promise((resolve) => tls.close(resolve));
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('the subgraph HTTP client with tracing on', () => {
  it('makes a CLIENT span per fetch, carries its traceparent, and marks a failed fetch as an error', async () => {
    const recording = await recordSpans();
    const traced = createSubgraphHttpClient(TIMEOUTS);
    const seen: (string | undefined)[] = [];
    const server = createServer((request, response) => {
      seen.push(request.headers.traceparent as string | undefined);
      response.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await traced.fetcher(`http://127.0.0.1:${port}/graphql`, { method: 'POST', body: '{}' });
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await traced.fetcher(`http://127.0.0.1:${port}/graphql`, { method: 'POST', body: '{}' }).catch(() => undefined);
      const [answered, failed] = recording.spans();
      expect(answered).toMatchObject({
        kind: SpanKind.CLIENT,
        name: 'POST',
        attributes: { 'server.address': '127.0.0.1', 'server.port': port, 'http.response.status_code': 200 },
        status: { code: SpanStatusCode.UNSET },
      });
      expect(seen).toEqual([expect.stringContaining(answered!.spanContext().spanId)]);
      expect(failed).toMatchObject({ kind: SpanKind.CLIENT, status: { code: SpanStatusCode.ERROR } });
    } finally {
      await traced.close();
      await recording.stop();
    }
  });
});
