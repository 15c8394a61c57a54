/**
 * Random GraphQL operations over the public schema, and an oracle that reads a response and names
 * every piece of data the contract says the caller may not see.
 */
import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

export interface GeneratedOperation {
  document: string;
  kind: 'query' | 'mutation';
  /** Response key -> field name, for every alias in the document (root fields are always aliased). */
  aliases: Record<string, string>;
  /** Response keys of the root fields, in order. */
  rootKeys: string[];
}

/** Fields added to every selection of these types, so the oracle can tell whose row it is looking at. */
const MARKERS: Record<string, string> = { Order: 'zzOwner: userId', Payment: 'zzId: id' };

const IDS = [
  'order-1',
  'order-2',
  'order-3',
  'payment-1',
  'payment-2',
  'KB-001',
  'MS-002',
  'MN-003',
  'no-such-id',
  '',
  'order-1\u0000',
  "' OR 1=1 --",
  '\u{1F600}',
];
const INTS = ['0', '1', '-1', '5', '1000', '1001', '2147483647', '-2147483648', '2147483648', '99999999999999999999'];
const STRINGS = [
  '"USD"',
  '"EUR"',
  '""',
  '"\\u0000"',
  '"\\ud800"',
  '"x\\ny"',
  JSON.stringify('\u{1F4A9}'.repeat(50)),
  JSON.stringify('a'.repeat(5000)),
];

/** `fc.gen()` draws values inside the property; the run stays reproducible from the seed. */
type Draw = fc.GeneratorValue;

export function generateOperation(draw: Draw, schema: GraphQLSchema, maxDepth = 5): GeneratedOperation {
  const aliases: Record<string, string> = {};
  let aliasCount = 0;
  const pick = <T>(items: readonly T[]): T => items[draw(fc.nat, items.length - 1)]!;
  const chance = (percent: number) => draw(fc.integer, { min: 1, max: 100 }) <= percent;

  const value = (type: GraphQLInputType, depth = 0): string => {
    if (isNonNullType(type)) return value(type.ofType, depth);
    if (isListType(type)) {
      const count = draw(fc.integer, { min: 0, max: depth > 1 ? 1 : 3 });
      return `[${Array.from({ length: count }, () => value(type.ofType, depth + 1)).join(', ')}]`;
    }
    if (isEnumType(type)) return pick(type.getValues()).name;
    if (isInputObjectType(type)) {
      const fields = Object.values(type.getFields()).filter((field) => isNonNullType(field.type) || chance(50));
      return `{ ${fields.map((field) => `${field.name}: ${value(field.type, depth + 1)}`).join(', ')} }`;
    }
    if (isScalarType(type)) {
      switch (type.name) {
        case 'ID':
          return JSON.stringify(pick(IDS));
        case 'Int':
          return pick(INTS);
        case 'Boolean':
          return pick(['true', 'false']);
        default:
          return pick(STRINGS);
      }
    }
    return 'null';
  };

  const argumentsOf = (field: GraphQLField<unknown, unknown>) => {
    const chosen = field.args.filter((arg) => isNonNullType(arg.type) || chance(40));
    return chosen.length === 0 ? '' : `(${chosen.map((arg) => `${arg.name}: ${value(arg.type)}`).join(', ')})`;
  };

  const directive = () => (chance(10) ? ` @${pick(['include', 'skip'])}(if: ${pick(['true', 'false'])})` : '');

  const selectionSet = (type: GraphQLObjectType, depth: number): string => {
    const fields = Object.values(type.getFields()).filter((field) => !field.name.startsWith('_'));
    const leaves = fields.filter((field) => !isObjectType(getNamedType(field.type)));
    const candidates = depth >= maxDepth && leaves.length > 0 ? leaves : fields;
    const selections: string[] = ['__typename', ...(MARKERS[type.name] ? [MARKERS[type.name]!] : [])];
    const count = draw(fc.integer, { min: 1, max: 3 });
    for (let i = 0; i < count; i += 1) {
      const field = pick(candidates);
      let prefix = '';
      if (chance(25)) {
        const alias = `a${aliasCount++}`;
        aliases[alias] = field.name;
        prefix = `${alias}: `;
      }
      const named = getNamedType(field.type);
      const sub = isObjectType(named) ? ` ${selectionSet(named, depth + 1)}` : '';
      const selection = `${prefix}${field.name}${argumentsOf(field)}${directive()}${sub}`;
      selections.push(chance(10) ? `... on ${type.name}${directive()} { ${selection} }` : selection);
    }
    return `{ ${selections.join(' ')} }`;
  };

  const kind = chance(15) ? 'mutation' : 'query';
  const root = kind === 'mutation' ? schema.getMutationType()! : schema.getQueryType()!;
  const rootFields = Object.values(root.getFields()).filter((field) => !field.name.startsWith('_'));
  const rootKeys: string[] = [];
  const selections = Array.from({ length: draw(fc.integer, { min: 1, max: kind === 'mutation' ? 1 : 3 }) }, (_, i) => {
    const field = pick(rootFields);
    const key = `r${i}`;
    aliases[key] = field.name;
    rootKeys.push(key);
    const named = getNamedType(field.type);
    const sub = isObjectType(named) ? ` ${selectionSet(named, 2)}` : '';
    return `${key}: ${field.name}${argumentsOf(field)}${sub}`;
  });
  return { document: `${kind} { ${selections.join(' ')} }`, kind, aliases, rootKeys };
}

const EDITS = [
  '{',
  '}',
  '(',
  ')',
  ':',
  '$x',
  '...',
  '... on Order',
  '@skip',
  '@include(if: $x)',
  '"',
  '#',
  '\\',
  'query',
  'fragment F on Order { id }',
  '__schema',
  '\u{1F600}',
  '\u0000',
  ' ',
  '!',
  '[',
  ']',
  '=',
];

/** A few random edits: what a fuzzing client or a bad proxy sends. */
export function garble(draw: Draw, document: string): string {
  let text = document;
  for (let edits = draw(fc.integer, { min: 1, max: 3 }); edits > 0; edits -= 1) {
    const at = draw(fc.nat, text.length);
    const action = draw(fc.nat, 2);
    if (action === 0) text = text.slice(0, at) + text.slice(at + draw(fc.integer, { min: 1, max: 20 }));
    else if (action === 1) text = text.slice(0, at) + EDITS[draw(fc.nat, EDITS.length - 1)]! + text.slice(at);
    else text = text.slice(0, at) + text.slice(at, at + 40) + text.slice(at);
  }
  return text;
}

/** The demo users the fuzz runs as, and what the contract lets each see. */
export type Caller = 'anonymous' | 'alice' | 'bob' | 'wendy' | 'paula';

const SEEDED_OWNERS: Record<string, string> = { 'order-1': 'alice', 'order-2': 'alice', 'order-3': 'bob' };

const MUTATIONS_ALLOWED: Record<Caller, readonly string[]> = {
  anonymous: [],
  alice: ['placeOrder', 'cancelOrder'],
  bob: ['placeOrder', 'cancelOrder'],
  wendy: ['placeOrder', 'cancelOrder', 'processOrder', 'adjustStock'],
  paula: ['placeOrder', 'cancelOrder', 'initiatePayment', 'refundPayment'],
};

/** An order is readable by its owner (whatever their roles) and by warehouse staff. */
function canReadOrder(caller: Caller, owner: unknown): boolean {
  return caller !== 'anonymous' && (caller === 'wendy' || owner === caller);
}

/**
 * Every piece of data in `data` that `caller` may not see, in words; empty when all is well.
 * Objects are recognised by `__typename`; a denied object comes back null, so even an object with
 * nothing but `__typename` in it counts as seen.
 */
export function forbiddenData(
  caller: Caller,
  operation: Pick<GeneratedOperation, 'aliases' | 'rootKeys' | 'kind'> | undefined,
  data: unknown,
): string[] {
  const problems: string[] = [];
  const fieldOf = (key: string) => operation?.aliases[key] ?? key;

  const walk = (value: unknown, path: string[], orders: unknown[]) => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, [...path, String(index)], orders));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    const type = object.__typename;
    const where = path.join('.') || '(root)';
    let nextOrders = orders;
    if (type === 'Order') {
      const owner = object.zzOwner ?? valueOf(object, 'userId', fieldOf) ?? SEEDED_OWNERS[String(valueOf(object, 'id', fieldOf))];
      // An owner the response does not tell (a garbled document lost the marker) is judged only
      // for anonymous callers, who may see no order at all.
      const judged = owner !== undefined || caller === 'anonymous';
      if (judged && !canReadOrder(caller, owner)) problems.push(`${caller} sees an Order of ${String(owner)} at ${where}`);
      nextOrders = [...orders, owner];
    }
    if (type === 'Payment') {
      // A payment is listed to the owner of the order it belongs to; otherwise processors only.
      const viaOwnOrder = caller !== 'anonymous' && orders.length > 0 && orders[orders.length - 1] === caller;
      if (caller !== 'paula' && !viaOwnOrder) problems.push(`${caller} sees a Payment at ${where}`);
    }
    for (const [key, child] of Object.entries(object)) {
      if (
        type === 'Product' &&
        fieldOf(key) === 'quantityOnHand' &&
        child !== null &&
        child !== undefined &&
        caller !== 'wendy'
      ) {
        problems.push(`${caller} sees quantityOnHand at ${[...path, key].join('.')}`);
      }
      walk(child, [...path, key], nextOrders);
    }
  };

  if (data !== null && typeof data === 'object' && operation) {
    for (const key of operation.rootKeys) {
      const field = operation.aliases[key];
      const result = (data as Record<string, unknown>)[key];
      if (result === null || result === undefined) continue;
      if (field === 'orders') problems.push(`${caller} sees the list of all orders`);
      if (field === 'myOrders' && caller === 'anonymous') problems.push('anonymous sees myOrders');
      if (operation.kind === 'mutation' && !MUTATIONS_ALLOWED[caller].includes(field!)) problems.push(`${caller} ran ${field}`);
    }
  }
  walk(data, [], []);
  return problems;
}

function valueOf(object: Record<string, unknown>, field: string, fieldOf: (key: string) => string): unknown {
  for (const [key, value] of Object.entries(object)) if (fieldOf(key) === field && value !== null) return value;
  return undefined;
}
