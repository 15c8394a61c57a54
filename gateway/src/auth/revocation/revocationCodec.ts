import { z } from 'zod';
import type { Revocation } from './revocationList.ts';

const text = z.string().min(1).max(1024);
const seconds = z.number().finite().nonnegative();

const RevocationShape = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('token'), jti: text, until: seconds, sub: text.optional() }),
  z.object({ kind: z.literal('subject'), sub: text, notBefore: seconds, until: seconds }),
]);

/** A revocation as JSON (from Redis, a pub/sub message, or the admin endpoint), or undefined. */
export function parseRevocation(json: string): Revocation | undefined {
  try {
    return asRevocation(JSON.parse(json));
  } catch {
    return undefined;
  }
}

export function asRevocation(value: unknown): Revocation | undefined {
  const parsed = RevocationShape.safeParse(value);
  if (!parsed.success) return undefined;
  const { sub, ...rest } = parsed.data;
  return (sub === undefined ? rest : { ...rest, sub }) as Revocation;
}

/** One key per token and per subject, so a newer revocation of the same one replaces the older. */
export function redisKeyOf(prefix: string, revocation: Revocation): string {
  return revocation.kind === 'token' ? `${prefix}token:${revocation.jti}` : `${prefix}subject:${revocation.sub}`;
}
