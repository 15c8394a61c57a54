import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#kit';
import { errorCodes, executeAs } from '#kit/testing';
import { viewer } from '#identity/testing';
import type { createPaymentsService } from './service.ts';
import { createPaymentsFixture } from './testing.ts';

let db: Database;
let service: ReturnType<typeof createPaymentsService>;

beforeAll(async () => {
  ({ db, service } = await createPaymentsFixture());
});
afterAll(() => db.close());

describe('racing writes', () => {
  it('lets exactly one of 50 parallel refunds of one payment succeed', async () => {
    const refunders = [viewer('paula', 'payment_processor'), viewer('ada', 'admin')];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        executeAs(service, refunders[i % 2]!, 'mutation { refundPayment(id: "payment-1") { status } }'),
      ),
    );
    const succeeded = results.filter((result) => result.data?.refundPayment);
    expect(succeeded).toHaveLength(1);
    for (const result of results.filter((r) => !r.data?.refundPayment)) {
      expect(errorCodes(result)).toEqual(['FORBIDDEN']);
      expect(result.errors?.[0]?.message).toBe('Only a captured payment can be refunded');
    }
    const [row] = await db.query<{ status: string }>(`SELECT status FROM payments WHERE id = 'payment-1'`);
    expect(row?.status).toBe('REFUNDED');
  });
});
