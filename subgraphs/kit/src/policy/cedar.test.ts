import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCedarEngine } from './cedar.ts';
import { PolicyEngineUnavailable, PolicyLoadError, type PolicyInput } from './engine.ts';

const SCHEMA = `namespace Shop {
  entity User = { id: String, roles: Set<String> };
  entity Doc = { ownerId: String, state: String };
  action read appliesTo { principal: User, resource: Doc, context: { nowMs: Long } };
}`;

const POLICY = `@id("owner-reads")
permit (principal, action == Shop::Action::"read", resource is Shop::Doc) when { resource.ownerId == principal.id };
@id("admins-read")
permit (principal, action == Shop::Action::"read", resource is Shop::Doc) when { principal.roles.contains("admin") };
@id("no-drafts")
@reason("Drafts are private")
forbid (principal, action == Shop::Action::"read", resource is Shop::Doc) when { resource.state == "draft" };`;

function engineWith(policy: string, schema = SCHEMA) {
  const dir = mkdtempSync(join(tmpdir(), 'cedar-'));
  writeFileSync(join(dir, 'p.cedar'), policy);
  writeFileSync(join(dir, 's.cedarschema'), schema);
  return createCedarEngine({ namespace: 'Shop', policyFile: join(dir, 'p.cedar'), schemaFile: join(dir, 's.cedarschema') });
}

const ask = (id: string, roles: string[], doc: Record<string, string>): PolicyInput => ({
  user: { id, roles },
  action: 'read',
  resource: { type: 'Doc', id: 'd1', ...doc },
  context: { nowMs: 0 },
});

describe('the Cedar engine', () => {
  it('permits, denies by default, and names the forbid that refused', async () => {
    const cedar = engineWith(POLICY);
    expect(await cedar.decide(ask('ann', [], { ownerId: 'ann', state: 'final' }))).toEqual({ allowed: true });
    expect(await cedar.decide(ask('bob', ['admin'], { ownerId: 'ann', state: 'final' }))).toEqual({ allowed: true });
    expect(await cedar.decide(ask('bob', [], { ownerId: 'ann', state: 'final' }))).toEqual({ allowed: false });
    expect(await cedar.decide(ask('ann', [], { ownerId: 'ann', state: 'draft' }))).toEqual({
      allowed: false,
      reason: 'Drafts are private',
    });
  });

  it('refuses to start on a policy that does not parse, naming the file', () => {
    expect(() => engineWith(POLICY.replace('permit (', 'permit (('))).toThrow(PolicyLoadError);
    expect(() => engineWith(POLICY.replace('permit (', 'permit (('))).toThrow(/Invalid policy p\.cedar/);
  });

  it('refuses to start on a policy the schema does not allow (an attribute no Doc has)', () => {
    const error = (() => {
      try {
        engineWith(POLICY.replace('resource.state == "draft"', 'resource.status == "draft"'));
      } catch (caught) {
        return caught as PolicyLoadError;
      }
    })();
    expect(error).toBeInstanceOf(PolicyLoadError);
    expect(error!.problems.join('\n')).toMatch(/no-drafts: .*status/);
  });

  it('refuses to start on an invalid schema', () => {
    expect(() => engineWith(POLICY, SCHEMA.replace('entity Doc', 'entitty Doc'))).toThrow(/Invalid policy s\.cedarschema/);
  });

  it('gives no decision, rather than a denial, for a request the schema does not allow', async () => {
    const cedar = engineWith(POLICY);
    const decision = cedar.decide(ask('ann', [], { ownerId: 'ann' }));
    await expect(decision).rejects.toBeInstanceOf(PolicyEngineUnavailable);
    await expect(decision).rejects.toThrow(/state/);
  });
});
