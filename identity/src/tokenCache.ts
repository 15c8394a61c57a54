/**
 * The one cache of tokens, verified or signed: least recently used out first, each entry dropped at the
 * token's own expiry, so caching never extends a token's life.
 */
export class TokenCache<Value> {
  readonly #entries = new Map<string, { value: Value; expiresAtMs: number }>();

  constructor(
    private readonly capacity: number,
    private readonly now: () => Date,
  ) {}

  get(token: string): Value | undefined {
    const entry = this.#entries.get(token);
    if (!entry) return undefined;
    this.#entries.delete(token);
    if (entry.expiresAtMs <= this.now().getTime()) return undefined;
    this.#entries.set(token, entry);
    return entry.value;
  }

  set(token: string, value: Value, expiresAtSeconds: number): void {
    this.#entries.delete(token);
    if (this.#entries.size >= this.capacity) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(token, { value, expiresAtMs: expiresAtSeconds * 1000 });
  }

  /** Drops every entry whose value `matches` (a user's tokens, when that user is revoked). */
  deleteWhere(matches: (value: Value) => boolean): void {
    for (const [token, entry] of this.#entries) if (matches(entry.value)) this.#entries.delete(token);
  }

  get size(): number {
    return this.#entries.size;
  }
}
