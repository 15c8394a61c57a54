/**
 * What a subgraph hands the permission matrix: its rules, its schema, its fixtures and the
 * contract's rows it must agree with. Each subgraph writes its own beside its policy
 * (`subgraphs/<name>/src/permissions.matrix.ts`, `permissions.contract.ts`).
 */
import type { GraphQLSchema } from 'graphql';
import type { IRules } from 'graphql-shield';
import type { Viewer } from '#identity';
import type { PermissionCatalogue, PolicyEngine } from '#kit';
import type { SubgraphName } from '#roster';
import type { PrincipalId } from './principals.ts';

/** `Type.field`, as in error messages and the matrix. */
export type Coordinate = `${string}.${string}`;

/** A field the resource is reached through before the field under test; its rule must allow too. */
export interface Step {
  readonly coordinate: Coordinate;
  readonly parent?: unknown;
  readonly args?: Readonly<Record<string, unknown>>;
  /** The resource's position when the step's field is a list. */
  readonly index?: number;
}

/** One representative resource for a field: the parent, the arguments and how it is reached. */
export interface Sample {
  /** In a few words, for the JSON form: "the owner's PENDING order, placed 2 hours ago". */
  readonly label: string;
  readonly parent?: unknown;
  readonly args?: Readonly<Record<string, unknown>>;
  /** Outermost first; also makes the `info.path` a rule may read. Empty: a root field. */
  readonly via?: readonly Step[];
}

export interface Samples {
  /** By field, first; then by the field's type; a field in neither is asked with no resource. */
  readonly fields?: Readonly<Record<Coordinate, readonly Sample[]>>;
  readonly types?: Readonly<Record<string, readonly Sample[]>>;
}

/** A subgraph's service over an in-memory database seeded with its fixtures. */
export interface FixtureWorld {
  /** A fresh context for one evaluation, made by the service's own `createContext`. */
  contextFor(who: Viewer): object;
  readonly samples: Samples;
  close(): Promise<void>;
}

export interface SubgraphPolicy {
  readonly name: string;
  /** Where the rules live, for messages that tell a developer what to edit. */
  readonly permissionsFile: string;
  readonly rulesExport: string;
  readonly intentionallyDeniedExport: string;
  readonly rules: IRules;
  readonly intentionallyDenied: Readonly<Record<string, string>>;
  /** Its role catalogue (roles.ts): what each role grants here. */
  readonly roles: PermissionCatalogue<string>;
  /** The subgraph schema without resolvers or shield: the fields a shield would wrap. */
  schema(): GraphQLSchema;
  /** The representative resources, in words, for the document. */
  readonly resources: readonly string[];
  /** What a reader of this subgraph's table should know that the cells cannot say. */
  readonly notes?: readonly string[];
  /**
   * Words a denial may carry that are no rule's here: another subgraph's, passed on intact by a rule
   * that defers to it (in the fixtures, a stand-in's).
   */
  readonly deferredWords?: readonly string[];
  /** The contract's who-may-do-what rows for this subgraph, as its table must show them. */
  readonly contractRows: readonly ExpectedRow[];
  /** For a subgraph that can hand its rows to a policy engine: each engine must answer as its rules do. */
  readonly engines?: EngineRows;
  openFixtures(): Promise<FixtureWorld>;
}

/** How a subgraph's rows are decided by a policy engine instead of its in-code rules. */
export interface EngineRows {
  /** The same policy, fixtures and samples, with the rows decided by `engine`, made afresh per evaluation. */
  decidedBy(engine: () => PolicyEngine): SubgraphPolicy;
  /** Its embedded Cedar engine. */
  cedar(): PolicyEngine;
  /** The package of its Rego policy on an OPA server. */
  readonly opaPackage: string;
}

/**
 * One row of the contract's who-may-do-what table, as the permission matrix must show it. It quotes
 * the contract; `fields` are the matrix rows it governs; the principals in `allow` get `allow`,
 * those in `depends` get `depends` with exactly those words, everyone else `deny`. Rows marked
 * `beyond the contract` cover fields the table does not name (federation plumbing, README
 * promises), so every field of the matrix has an expectation someone wrote down.
 */
export interface ExpectedRow {
  readonly subgraph: SubgraphName;
  /** The contract's "operation or field" and "allowed" columns, or where else the promise is made. */
  readonly row: string;
  readonly allowed: string;
  readonly source: 'contract' | 'beyond the contract';
  readonly fields: readonly Coordinate[];
  readonly allow: readonly PrincipalId[];
  readonly depends?: Readonly<Partial<Record<PrincipalId, readonly string[]>>>;
}

export const EVERYONE: readonly PrincipalId[] = [
  'anonymous',
  'customer',
  'owner',
  'warehouse_staff',
  'payment_processor',
  'admin',
];
export const SIGNED_IN: readonly PrincipalId[] = ['customer', 'owner', 'warehouse_staff', 'payment_processor', 'admin'];

/** The row every subgraph has: the federation fields, open to any caller the identity guard let in. */
export const federationPlumbing = (subgraph: SubgraphName): ExpectedRow => ({
  subgraph,
  row: '`_service`, `_entities`, `_Service.sdl` (federation)',
  allowed: 'any caller with a gateway identity token; entity fields carry their own rules',
  source: 'beyond the contract',
  fields: ['Query._service', 'Query._entities', '_Service.sdl'],
  allow: EVERYONE,
});

export const coordinate = (type: string, field: string): Coordinate => `${type}.${field}`;

export function splitCoordinate(at: Coordinate): [type: string, field: string] {
  const dot = at.indexOf('.');
  return [at.slice(0, dot), at.slice(dot + 1)];
}
