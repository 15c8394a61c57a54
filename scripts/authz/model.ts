/** What a subgraph hands the permission matrix: its rules, its schema and its fixtures. */
import type { GraphQLSchema } from 'graphql';
import type { IRules } from 'graphql-shield';
import type { Viewer } from '#identity';

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
  /** The subgraph schema without resolvers or shield: the fields a shield would wrap. */
  schema(): GraphQLSchema;
  /** The representative resources, in words, for the document. */
  readonly resources: readonly string[];
  /** What a reader of this subgraph's table should know that the cells cannot say. */
  readonly notes?: readonly string[];
  openFixtures(): Promise<FixtureWorld>;
}

export const coordinate = (type: string, field: string): Coordinate => `${type}.${field}`;

export function splitCoordinate(at: Coordinate): [type: string, field: string] {
  const dot = at.indexOf('.');
  return [at.slice(0, dot), at.slice(dot + 1)];
}
