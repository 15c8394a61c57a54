import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#kit';
import { errorCodes, executeAs } from '#kit/testing';
import { viewer } from '#identity/testing';
import type { createOrdersService } from './service.ts';
import { createOrdersFixture, LOCAL_POLICY_ENGINES } from './testing.ts';

describe.each(LOCAL_POLICY_ENGINES)('decided by %s', (_engine, createEngine) => {
  let db: Database;
  let service: ReturnType<typeof createOrdersService>;

  beforeAll(async () => {
    ({ db, service } = await createOrdersFixture({ policy: createEngine() }));
  });
  afterAll(() => db.close());

  // Whichever engine allowed the write, the SQL re-check lets only one racer through.
  describe('racing writes', () => {
    it('lets exactly one of 50 parallel cancelOrder calls succeed', async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          executeAs(service, viewer('alice'), 'mutation { cancelOrder(id: "order-1") { status } }'),
        ),
      );
      const succeeded = results.filter((result) => result.data?.cancelOrder);
      expect(succeeded).toHaveLength(1);
      for (const result of results.filter((r) => !r.data?.cancelOrder)) expect(errorCodes(result)).toEqual(['FORBIDDEN']);
      const [row] = await db.query<{ status: string }>(`SELECT status FROM orders WHERE id = 'order-1'`);
      expect(row?.status).toBe('CANCELLED');
    });

    it('lets exactly one of a cancel and a process race win', async () => {
      const [cancel, process] = await Promise.all([
        executeAs(service, viewer('bob'), 'mutation { cancelOrder(id: "order-3") { status } }'),
        executeAs(service, viewer('wendy', 'warehouse_staff'), 'mutation { processOrder(id: "order-3") { status } }'),
      ]);
      expect([cancel.data?.cancelOrder, process.data?.processOrder].filter(Boolean)).toHaveLength(1);
    });
  });
});
