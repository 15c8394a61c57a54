/**
 * The bench customer's rows, as the secure stack stored them through its API, for the bare
 * federation to load into its own tables: same ids, same order, so the answers are the same bytes.
 */
export interface BenchOrder {
  id: string;
  userId: string;
  items: readonly { sku: string; quantity: number }[];
  amountCents: number;
}

/** `orders` newest first, as myOrders lists them; each is given a creation time in that order. */
export interface BenchData {
  orders: readonly BenchOrder[];
}

/** Creation times one second apart, newest first, so `ORDER BY created_at DESC` keeps the list's order. */
export function createdAtOf(index: number): string {
  return new Date(Date.now() - index * 1000).toISOString();
}
