import { describe, expect, it } from 'vitest';
import { requestIdFrom } from './requestId.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  it.each(['3f2b8c1e-9d4a-4e7b-8c2d-1a2b3c4d5e6f', '4bf92f3577b34da6a3ce929d0e0e4736', 'trace-42', 'a'.repeat(64)])(
    'keeps the safe id %s',
    (id) => {
      expect(requestIdFrom(id)).toBe(id);
    },
  );

  it.each(['', 'a'.repeat(65), 'trace.42', 'host:8080', '../etc/passwd', 'http://x', 'a b', 'id\nforged: 1', 'zoë'])(
    'replaces %j with a fresh UUID',
    (id) => {
      expect(requestIdFrom(id)).toMatch(UUID);
    },
  );

  it('makes one when there is none', () => {
    expect(requestIdFrom(undefined)).toMatch(UUID);
  });
});
