/** What an operator can end: one token by its `jti`, or every token of a subject issued before a time. */
export type Revocation =
  | { kind: 'token'; jti: string; /** The token's `exp`: after it, the token is dead anyway. */ until: number; sub?: string }
  | {
      kind: 'subject';
      sub: string;
      /** Tokens issued before this (epoch seconds) are refused. */ notBefore: number;
      until: number;
    };

/** What revocation looks at in a verified token. */
export interface RevocableToken {
  readonly sub: string | null;
  readonly jti?: string;
  readonly iat?: number;
}

/**
 * This replica's copy of the revocations, read on every request without any I/O: two maps, each
 * entry dropped once it can no longer matter (`until`, epoch seconds).
 */
export class RevocationList {
  readonly #tokens = new Map<string, number>();
  readonly #subjects = new Map<string, { notBefore: number; until: number }>();

  constructor(private readonly now: () => number = () => Date.now() / 1000) {}

  add(revocation: Revocation): void {
    if (revocation.kind === 'token') {
      this.#tokens.set(revocation.jti, Math.max(revocation.until, this.#tokens.get(revocation.jti) ?? 0));
      return;
    }
    const known = this.#subjects.get(revocation.sub);
    // Revocations only ever widen: a later "log out everywhere" wins over an earlier one.
    this.#subjects.set(revocation.sub, {
      notBefore: Math.max(revocation.notBefore, known?.notBefore ?? 0),
      until: Math.max(revocation.until, known?.until ?? 0),
    });
  }

  /** A token whose subject was revoked and that carries no `iat` cannot show it is newer: refused. */
  isRevoked(token: RevocableToken): boolean {
    const now = this.now();
    if (token.jti !== undefined) {
      const until = this.#tokens.get(token.jti);
      if (until !== undefined && until > now) return true;
    }
    if (token.sub === null) return false;
    const subject = this.#subjects.get(token.sub);
    if (!subject || subject.until <= now) return false;
    return token.iat === undefined || token.iat < subject.notBefore;
  }

  /** Drops entries past their `until`; run from time to time, so the maps never grow without bound. */
  prune(): void {
    const now = this.now();
    for (const [jti, until] of this.#tokens) if (until <= now) this.#tokens.delete(jti);
    for (const [sub, { until }] of this.#subjects) if (until <= now) this.#subjects.delete(sub);
  }

  get size(): number {
    return this.#tokens.size + this.#subjects.size;
  }
}
