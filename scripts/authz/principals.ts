/**
 * The callers the permission matrix asks about: one column each. Every representative resource of
 * the fixtures belongs to RESOURCE_OWNER, so `owner` is "owner of the resource" and `customer` is a
 * signed-in customer looking at someone else's.
 */
import type { Viewer } from '#identity';
import { viewer } from '#identity/testing';

export const RESOURCE_OWNER = 'alice';

export interface Principal {
  readonly id: string;
  readonly viewer: Viewer;
  readonly description: string;
}

export const PRINCIPALS = [
  { id: 'anonymous', viewer: viewer(null), description: 'no client token: an identity token without `sub`' },
  { id: 'customer', viewer: viewer('bob'), description: '`bob`, signed in with no role, owner of none of the resources' },
  {
    id: 'owner',
    viewer: viewer(RESOURCE_OWNER),
    description: `\`${RESOURCE_OWNER}\`, signed in with no role, owner of every resource`,
  },
  { id: 'warehouse_staff', viewer: viewer('wendy', 'warehouse_staff'), description: '`wendy`, role `warehouse_staff`' },
  {
    id: 'payment_processor',
    viewer: viewer('paula', 'payment_processor'),
    description: '`paula`, role `payment_processor`',
  },
  { id: 'admin', viewer: viewer('ada', 'admin'), description: '`ada`, role `admin`' },
] as const satisfies readonly Principal[];

export type PrincipalId = (typeof PRINCIPALS)[number]['id'];
