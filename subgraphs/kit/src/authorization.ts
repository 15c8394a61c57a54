import { deny, rule, shield, type IRules } from 'graphql-shield';
import type { IMiddlewareGenerator } from 'graphql-middleware';
import { forbidden, unauthenticated } from '#platform';
import type { Viewer } from '#identity';

/** What every rule may read from the context: who is asking and what their roles grant here. */
export interface AuthorizationContext {
  readonly viewer: Viewer;
  readonly permissions: ReadonlySet<string>;
}

/**
 * A subgraph's own mapping from the roles in the identity token to its permissions. Roles are the
 * organisation's words; permissions are the subgraph's, so each service evolves its model alone.
 */
export interface PermissionCatalogue<Permission extends string> {
  /** Granted to every signed-in user, whatever their roles. */
  readonly signedIn: readonly Permission[];
  readonly byRole: Readonly<Record<string, readonly Permission[]>>;
}

export function permissionsOf<Permission extends string>(
  viewer: Viewer,
  catalogue: PermissionCatalogue<Permission>,
): ReadonlySet<Permission> {
  if (viewer.sub === null) return new Set();
  const granted = new Set<Permission>(catalogue.signedIn);
  for (const role of viewer.roles) {
    for (const permission of grantsOf(catalogue, role)) granted.add(permission);
  }
  return granted;
}

/**
 * Role names come from the client's token: only the catalogue's own entries count, so `constructor`,
 * `__proto__` or `toString` grant nothing instead of reaching into Object.prototype.
 */
function grantsOf<Permission extends string>(catalogue: PermissionCatalogue<Permission>, role: string) {
  return Object.hasOwn(catalogue.byRole, role) ? catalogue.byRole[role]! : [];
}

const WORDS = new WeakMap<object, string>();
const IDS = new Map<string, string>();

/**
 * Remembers the words `rule` denies with, so reports can name it as its errors do, and the stable
 * id metrics label its denials with (`id`, else one made from the words).
 */
function saying<R extends object>(words: string, rule: R, id?: string): R {
  WORDS.set(rule, words);
  if (id !== undefined && !IDS.has(words)) IDS.set(words, id);
  return rule;
}

/** `Only admins can list all orders` -> `only_admins_can_list_all_orders`: a Prometheus-friendly label. */
const slug = (words: string) =>
  words
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 80) || 'unnamed_rule';

/**
 * The id a denial's words are counted under: the permission a rule checks (`stock:read`), else a
 * slug of its words (policy engines' reasons). Few and stable, unlike sentences;
 * the words themselves stay in the audit log, in traces and in `authorization_rule_info`.
 */
export function ruleId(words: string): string {
  return IDS.get(words) ?? slug(words);
}

/**
 * The words a rule is known by: its FORBIDDEN message, the `rule` of the audit log, the wording of
 * reports such as the permission matrix. A plain shield rule answers its name; `allow`, `deny` and
 * logic rules (`chain`, `and`, ...), which have no words of their own, answer undefined.
 */
export function ruleWords(rule: unknown): string | undefined {
  if (typeof rule !== 'object' || rule === null) return undefined;
  const name = (rule as { name?: unknown }).name;
  return WORDS.get(rule) ?? (typeof name === 'string' ? name : undefined);
}

export const SIGN_IN_REQUIRED = 'You must be signed in';

export const isSignedIn = saying(
  SIGN_IN_REQUIRED,
  rule('signed in', { cache: 'contextual' })(
    (_parent, _args, ctx: AuthorizationContext) => ctx.viewer.sub !== null || unauthenticated(SIGN_IN_REQUIRED),
  ),
  'signed_in',
);

/**
 * Allows callers holding `permission`. `words` is the rule as a person would say it; it names the
 * rule in caches, in the FORBIDDEN message and wherever else the rule is reported.
 */
export function hasPermission(permission: string, words: string) {
  return saying(
    words,
    rule(words, { cache: 'contextual' })((_parent, _args, ctx: AuthorizationContext) => {
      if (ctx.permissions.has(permission)) return true;
      return ctx.viewer.sub === null ? unauthenticated(SIGN_IN_REQUIRED) : forbidden(words);
    }),
    permission,
  );
}

export const NO_RULE_MESSAGE = 'Not allowed: no rule grants access to this field';
IDS.set(NO_RULE_MESSAGE, 'no_rule');

/** The options of every subgraph's shield, exported so tools can evaluate rules as it does. */
export const DENY_BY_DEFAULT = {
  fallbackRule: deny,
  fallbackError: () => forbidden(NO_RULE_MESSAGE),
  // A resolver's own BAD_USER_INPUT or NOT_FOUND must reach the client as it was thrown.
  allowExternalErrors: true,
  debug: false,
} as const;

/** The shield every subgraph uses: whatever the rule map does not name is denied. */
export function denyByDefault(rules: IRules): IMiddlewareGenerator<unknown, unknown, unknown> {
  return shield(rules, { ...DENY_BY_DEFAULT });
}

type Check<Context> = (
  parent: any,
  args: any,
  ctx: Context,
  info: import('graphql').GraphQLResolveInfo,
) => boolean | Error | Promise<boolean | Error>;

/**
 * A domain rule in the words a person would use. When `check` says no, a signed-in caller gets
 * FORBIDDEN with those words and an anonymous one UNAUTHENTICATED; `check` may also return its own
 * error (NOT_FOUND before ownership, say). Rules that read the parent or the arguments must keep
 * the default `no_cache`: a contextual cache would hand one resource's answer to the next.
 * `name` (default: the words) must be unique within a shield.
 */
export function policyRule<Context extends AuthorizationContext>(
  words: string,
  check: Check<Context>,
  options: { cache?: 'no_cache' | 'contextual'; name?: string } = {},
) {
  return saying(
    words,
    rule(options.name ?? words, { cache: options.cache ?? 'no_cache' })(async (parent, args, ctx: Context, info) => {
      let verdict: boolean | Error;
      try {
        verdict = await check(parent, args, ctx, info);
      } catch (error) {
        // Shield would read a throw as "no" and answer FORBIDDEN: a database outage would look like a
        // denial. Returned, the error fails the field and the error policy masks it as internal.
        return error instanceof Error ? error : new Error(String(error));
      }
      if (verdict !== false) return verdict;
      return ctx.viewer.sub === null ? unauthenticated(SIGN_IN_REQUIRED) : forbidden(words);
    }),
  );
}
