-- order_id has no foreign key: orders live in the orders subgraph's own database.
CREATE TABLE payments (
  id text PRIMARY KEY,
  order_id text NOT NULL,
  amount_cents integer NOT NULL CHECK (amount_cents > 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status text NOT NULL DEFAULT 'CAPTURED' CHECK (status IN ('CAPTURED', 'REFUNDED')),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Order.payments looks payments up by order, in the order they were taken.
CREATE INDEX payments_by_order ON payments (order_id, created_at);
