/**
 * Arbitraries for hostile tokens: random bytes, and a real token with its header, payload or
 * signature mutated. A mutated token never keeps both its signed bytes and its signature, so no
 * case is a valid token by accident (a case that ends up unchanged is discarded).
 */
import fc from 'fast-check';

export const b64 = (data: string | Uint8Array) => Buffer.from(data).toString('base64url');

/** Printable ASCII: all a header value can carry. */
const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
  maxLength: 300,
});

/** Unicode text, lone surrogates and all. */
const unicode = fc.string({ unit: 'binary', maxLength: 200 });

/** Raw JSON text nested `depth` levels deep, as arrays or objects. */
const nestedJsonText = fc
  .record({ depth: fc.integer({ min: 1, max: 2000 }), objects: fc.boolean() })
  .map(({ depth, objects }) =>
    objects ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth),
  );

/** JSON values worth trying in any claim or header parameter. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  unicode,
  fc.string({ minLength: 1000, maxLength: 3000 }),
  fc.constantFrom(
    null,
    true,
    0,
    -1,
    1e308,
    -1e308,
    2 ** 53 + 1,
    '',
    ' ',
    '__proto__',
    JSON.parse('{"__proto__":{"admin":true}}'),
    ['admin'],
    [['admin']],
    [null],
  ),
);

/** Bytes or text that merely look like a token, or do not even try. */
export const randomToken: fc.Arbitrary<string> = fc.oneof(
  fc.uint8Array({ maxLength: 600 }).map(b64),
  fc.array(fc.uint8Array({ maxLength: 300 }).map(b64), { minLength: 2, maxLength: 6 }).map((parts) => parts.join('.')),
  fc
    .tuple(unicode, unicode, fc.uint8Array({ maxLength: 64 }))
    .map(([header, payload, signature]) => [b64(header), b64(payload), b64(signature)].join('.')),
  printable,
);

/** A whole Authorization header: any printable text, Bearer or not. */
export const randomAuthorization: fc.Arbitrary<string> = fc.oneof(
  printable,
  randomToken.map((token) => `Bearer ${token}`),
  fc
    .tuple(fc.constantFrom('Basic', 'bearer', 'Bearer  ', 'Token', 'DPoP', 'JWT'), randomToken)
    .map(([scheme, token]) => `${scheme} ${token}`),
);

type Json = Record<string, unknown>;

/** What to do to the protected header: set, drop or replace parameters. */
const headerChange = fc.oneof(
  fc
    .record(
      {
        alg: fc.oneof(
          fc.constantFrom(
            'none',
            'None',
            'NONE',
            'nOnE',
            'HS256',
            'HS384',
            'HS512',
            'RS256',
            'ES256',
            'PS256',
            'EdDSA',
            'ES256K',
            '',
            ' HS256',
          ),
          oddValue,
        ),
        kid: fc.oneof(fc.constantFrom('../../../../dev/null', "' OR '1'='1", 'key-1', '*', '\u0000'), unicode, oddValue),
        crit: fc.oneof(
          fc.constantFrom(['exp'], ['b64'], [], ['kid'], 'exp', ['alg', 'alg']),
          fc.array(unicode, { maxLength: 3 }),
        ),
        b64: fc.boolean(),
        typ: fc.oneof(fc.constantFrom('identity+jwt', 'at+jwt', 'JWT', 'jwt', 'JOSE', ''), oddValue),
        jku: fc.constantFrom('http://127.0.0.1:1/jwks.json', 'file:///etc/passwd'),
        x5u: fc.constant('http://127.0.0.1:1/cert.pem'),
        jwk: fc.constant({ kty: 'oct', k: b64('attacker-key-0123456789abcdef0123') }),
        zip: fc.constant('DEF'),
        enc: fc.constant('A256GCM'),
        extra: oddValue,
      },
      { requiredKeys: [] },
    )
    .map((patch) => ({ kind: 'patch' as const, patch })),
  fc.constantFrom('alg', 'typ', 'kid').map((drop) => ({ kind: 'drop' as const, drop })),
  fc
    .oneof(
      oddValue.map((value) => JSON.stringify(value) ?? 'null'),
      nestedJsonText,
      unicode,
    )
    .map((text) => ({ kind: 'replace' as const, text })),
);

/** What to do to the claims: set or drop claims, or replace the payload outright. */
const payloadChange = fc.oneof(
  fc
    .record(
      {
        sub: fc.oneof(fc.constantFrom('ada', 'alice', '', 'admin'), oddValue),
        roles: fc.oneof(fc.constantFrom(['admin'], ['admin', 'warehouse_staff', 'payment_processor'], 'admin'), oddValue),
        exp: fc.oneof(fc.integer(), fc.constantFrom(9_999_999_999, '9999999999', null), oddValue),
        nbf: fc.oneof(fc.integer(), oddValue),
        iat: fc.oneof(fc.integer(), oddValue),
        aud: oddValue,
        iss: oddValue,
        huge: fc.string({ minLength: 2000, maxLength: 6000 }),
        text: unicode,
        nested: fc.jsonValue({ maxDepth: 8 }),
      },
      { requiredKeys: [] },
    )
    .map((patch) => ({ kind: 'patch' as const, patch })),
  fc.constantFrom('sub', 'exp', 'aud', 'iss', 'roles', 'typ').map((drop) => ({ kind: 'drop' as const, drop })),
  fc
    .oneof(
      oddValue.map((value) => JSON.stringify(value) ?? 'null'),
      nestedJsonText,
      unicode,
      fc.constant('{"sub":"ada",}'),
    )
    .map((text) => ({ kind: 'replace' as const, text })),
);

/** What to do to the signature's bytes. */
const signatureChange = fc.oneof(
  fc.nat().map((bit) => ({ kind: 'flip' as const, bit })),
  fc.nat().map((keep) => ({ kind: 'truncate' as const, keep })),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({ kind: 'append' as const, bytes })),
  fc.uint8Array({ maxLength: 600 }).map((bytes) => ({ kind: 'replace' as const, bytes })),
);

/** Rearrangements of the three segments. */
const shapeChange = fc.constantFrom(
  (parts: string[]) => parts.slice(0, 2).join('.'),
  (parts: string[]) => `${parts[0]}.${parts[1]}.`,
  (parts: string[]) => `${parts[0]}..${parts[2]}`,
  (parts: string[]) => [...parts, parts[2]].join('.'),
  (parts: string[]) => [parts[0], parts[1], '', '', parts[2]].join('.'),
  (parts: string[]) => [parts[1], parts[0], parts[2]].join('.'),
  (parts: string[]) => `${parts.join('.')}.`,
  (parts: string[]) => `.${parts.join('.')}`,
  (parts: string[]) => parts.join('..'),
);

export type TokenMutation =
  | { on: 'header'; change: HeaderChange }
  | { on: 'payload'; change: PayloadChange }
  | { on: 'signature'; change: SignatureChange }
  | { on: 'shape'; change: (parts: string[]) => string };
type HeaderChange = typeof headerChange extends fc.Arbitrary<infer T> ? T : never;
type PayloadChange = typeof payloadChange extends fc.Arbitrary<infer T> ? T : never;
type SignatureChange = typeof signatureChange extends fc.Arbitrary<infer T> ? T : never;

export const tokenMutation: fc.Arbitrary<TokenMutation> = fc.oneof(
  headerChange.map((change) => ({ on: 'header' as const, change })),
  payloadChange.map((change) => ({ on: 'payload' as const, change })),
  signatureChange.map((change) => ({ on: 'signature' as const, change })),
  shapeChange.map((change) => ({ on: 'shape' as const, change })),
);

const decodeJson = (segment: string): Json => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));

function changeJson(segment: string, change: HeaderChange | PayloadChange): string {
  if (change.kind === 'replace') return b64(change.text);
  const json = decodeJson(segment);
  if (change.kind === 'drop') delete json[change.drop];
  else Object.assign(json, change.patch);
  return b64(JSON.stringify(json));
}

/** `token` with one mutation applied; undefined when the mutation left it as it was. */
export function mutate(token: string, mutation: TokenMutation): string | undefined {
  const parts = token.split('.');
  const [header, payload, signature] = parts as [string, string, string];
  let mutated: string;
  switch (mutation.on) {
    case 'header':
      mutated = [changeJson(header, mutation.change), payload, signature].join('.');
      break;
    case 'payload':
      mutated = [header, changeJson(payload, mutation.change), signature].join('.');
      break;
    case 'signature': {
      const bytes = Buffer.from(signature, 'base64url');
      const change = mutation.change;
      let next: Buffer;
      if (change.kind === 'flip') {
        next = Buffer.from(bytes);
        const bit = change.bit % (bytes.length * 8);
        next[bit >> 3] = next[bit >> 3]! ^ (1 << (bit & 7));
      } else if (change.kind === 'truncate') next = bytes.subarray(0, change.keep % bytes.length);
      else if (change.kind === 'append') next = Buffer.concat([bytes, change.bytes]);
      else next = Buffer.from(change.bytes);
      // Compare bytes, not text: base64url has more than one spelling of the same bytes.
      if (next.equals(bytes)) return undefined;
      mutated = [header, payload, b64(next)].join('.');
      break;
    }
    case 'shape':
      mutated = mutation.change(parts);
      break;
  }
  return mutated === token ? undefined : mutated;
}

/**
 * Claims that make an otherwise valid token invalid, one reason each, for tokens re-signed with
 * the right key: the verifier must then refuse on the claims alone. `now` is in seconds.
 */
export function claimViolation(now: () => number, expected: { issuer: string; audience: string }) {
  const notExpected = (value: string) => (candidate: unknown) =>
    candidate !== value && !(Array.isArray(candidate) && candidate.includes(value));
  return fc.oneof(
    fc.integer({ min: 0, max: 1_000_000_000 }).map((ago) => ({ why: 'expired', claims: { exp: now() - 1 - ago } })),
    fc.oneof(fc.string(), fc.constant(null), fc.object()).map((exp) => ({ why: 'exp not a number', claims: { exp } })),
    fc.constant({ why: 'no exp', claims: { exp: undefined } }),
    fc.integer({ min: 5, max: 1_000_000_000 }).map((ahead) => ({ why: 'not yet valid', claims: { nbf: now() + ahead } })),
    oddValue.filter(notExpected(expected.issuer)).map((iss) => ({ why: 'wrong issuer', claims: { iss } })),
    fc.constant({ why: 'no issuer', claims: { iss: undefined } }),
    oddValue.filter(notExpected(expected.audience)).map((aud) => ({ why: 'wrong audience', claims: { aud } })),
    fc.constant({ why: 'no audience', claims: { aud: undefined } }),
  );
}
