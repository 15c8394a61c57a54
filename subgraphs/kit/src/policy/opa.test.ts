/**
 * The OPA adapter's HTTP behaviour, against a STAND-IN of OPA's data API: a small node:http server
 * in this file that answers `POST /v1/data/<package>/<rule>` the way OPA does (`{ "result": ... }`)
 * and records what it was sent. It is not OPA and runs no Rego; the Rego policy is evaluated only
 * when a real OPA server is reachable (scripts/authz/engines.test.ts with OPA_URL).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { viewer } from '#identity/testing';
import { PolicyEngineUnavailable, type PolicyInput } from './engine.ts';
import { createOpaEngine } from './opa.ts';
import { requestPolicy } from './requestPolicy.ts';

interface Received {
  readonly method: string;
  readonly url: string;
  readonly contentType: string | undefined;
  readonly body: unknown;
}

type Answer = (rule: string, input: PolicyInput, res: ServerResponse) => void;

/** The stand-in's default policy: admins may do anything; others are refused with a reason. */
const adminsOnly: Answer = (rule, input, res) => {
  const allowed = input.user.roles.includes('admin');
  const result = rule === 'allow' ? allowed : allowed ? undefined : 'Only admins';
  res.setHeader('content-type', 'application/json').end(JSON.stringify(result === undefined ? {} : { result }));
};

let answer: Answer = adminsOnly;
const received: Received[] = [];
let connections = 0;
const standIn = createServer((req: IncomingMessage, res: ServerResponse) => {
  let text = '';
  req.on('data', (chunk) => (text += chunk));
  req.on('end', () => {
    const body = JSON.parse(text) as { input: PolicyInput };
    received.push({ method: req.method!, url: req.url!, contentType: req.headers['content-type'], body });
    answer(req.url!.split('/').at(-1)!, body.input, res);
  });
});
standIn.on('connection', () => connections++);
let url: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => standIn.close(() => resolve())));
afterEach(() => {
  answer = adminsOnly;
  received.length = 0;
});

const ORDER = { type: 'Order', id: 'order-1', userId: 'alice', status: 'PENDING', createdAtMs: 1_000 };
const input = (roles: string[] = []): PolicyInput => ({
  user: { id: 'alice', roles },
  action: 'cancel',
  resource: ORDER,
  context: { nowMs: 2_000 },
});
const engine = (timeoutMs = 1_000) => createOpaEngine({ url, packagePath: 'order', timeoutMs });

describe('the OPA adapter (against a stand-in of the data API)', () => {
  it('posts { input: { user, action, resource, context } } as JSON to /v1/data/<package>/allow', async () => {
    expect(await engine().decide(input(['admin']))).toEqual({ allowed: true });
    expect(received).toEqual([
      { method: 'POST', url: '/v1/data/order/allow', contentType: 'application/json', body: { input: input(['admin']) } },
    ]);
  });

  it('on a denial asks /reason for the words, and answers without them when the rule is undefined', async () => {
    expect(await engine().decide(input())).toEqual({ allowed: false, reason: 'Only admins' });
    expect(received.map((r) => r.url)).toEqual(['/v1/data/order/allow', '/v1/data/order/reason']);
    answer = (rule, _input, res) => res.end(rule === 'allow' ? '{"result":false}' : '{}');
    expect(await engine().decide(input())).toEqual({ allowed: false });
  });

  it.each([
    [
      'a 500',
      (_rule: string, _input: PolicyInput, res: ServerResponse) => res.writeHead(500).end('{"code":"internal_error"}'),
      /HTTP 500/,
    ],
    ['a body that is not JSON', (_r: string, _i: PolicyInput, res: ServerResponse) => res.end('<html>'), /not JSON/],
    [
      'no result (the policy is not loaded)',
      (_r: string, _i: PolicyInput, res: ServerResponse) => res.end('{}'),
      /no boolean at order\.allow/,
    ],
    [
      'a result that is not a boolean',
      (_r: string, _i: PolicyInput, res: ServerResponse) => res.end('{"result":"yes"}'),
      /no boolean/,
    ],
    ['JSON that is not an object', (_r: string, _i: PolicyInput, res: ServerResponse) => res.end('null'), /malformed/],
  ] as const)('fails closed with an error, not a denial, on %s', async (_what, reply, message) => {
    answer = reply;
    const decision = engine().decide(input(['admin']));
    await expect(decision).rejects.toBeInstanceOf(PolicyEngineUnavailable);
    await expect(decision).rejects.toThrow(message);
  });

  it('fails closed when the reason is not a string', async () => {
    answer = (rule, _input, res) => res.end(rule === 'allow' ? '{"result":false}' : '{"result":42}');
    await expect(engine().decide(input())).rejects.toThrow(/reason that is not a string/);
  });

  it('gives up at its deadline when OPA does not answer', async () => {
    answer = () => {}; // never answers
    const started = Date.now();
    await expect(engine(200).decide(input(['admin']))).rejects.toThrow(/no answer within 200 ms/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('fails closed when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const offline = createOpaEngine({ url: `http://127.0.0.1:${port}`, packagePath: 'order', timeoutMs: 1_000 });
    await expect(offline.decide(input(['admin']))).rejects.toThrow(/opa policy engine gave no decision: unreachable/);
  });

  it('keeps its connection alive across decisions', async () => {
    const opa = engine();
    // Node's fetch may open a second socket while the first is being handed back to its pool.
    for (let i = 0; i < 2; i++) await opa.decide(input(['admin']));
    const before = connections;
    for (let i = 0; i < 10; i++) await opa.decide(input(['admin']));
    expect(received).toHaveLength(12);
    expect(connections).toBe(before);
  });
});

describe('decisions within one request', () => {
  const now = () => new Date(2_000);

  it('are asked once per action and resource', async () => {
    const policy = requestPolicy(engine(), viewer('ada', 'admin'), now);
    await Promise.all([policy.decide('cancel', ORDER), policy.decide('cancel', ORDER)]);
    await policy.decide('cancel', ORDER);
    expect(received).toHaveLength(1);
    await policy.decide('read', ORDER);
    await policy.decide('cancel', { ...ORDER, id: 'order-2' });
    expect(received).toHaveLength(3);
  });

  it('are asked again by the next request', async () => {
    const opa = engine();
    await requestPolicy(opa, viewer('ada', 'admin'), now).decide('cancel', ORDER);
    await requestPolicy(opa, viewer('ada', 'admin'), now).decide('cancel', ORDER);
    expect(received).toHaveLength(2);
  });

  it('do not remember a failure as a decision', async () => {
    const policy = requestPolicy(engine(), viewer('ada', 'admin'), now);
    answer = (_rule, _input, res) => res.writeHead(503).end();
    await expect(policy.decide('cancel', ORDER)).rejects.toThrow(/HTTP 503/);
    answer = adminsOnly;
    expect(await policy.decide('cancel', ORDER)).toEqual({ allowed: true });
  });

  it('carry the viewer as the user (id = sub, roles) and the service clock', async () => {
    await requestPolicy(engine(), viewer('ada', 'admin', 'constructor'), now).decide('cancel', ORDER);
    expect(received[0]!.body).toEqual({
      input: {
        user: { id: 'ada', roles: ['admin', 'constructor'] },
        action: 'cancel',
        resource: ORDER,
        context: { nowMs: 2_000 },
      },
    });
  });
});
