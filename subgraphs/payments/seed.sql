-- Demo data, loaded once into an empty database (see the contract's demo data table).
INSERT INTO payments (id, order_id, amount_cents, currency, status) VALUES
  ('payment-1', 'order-1', 8997, 'USD', 'CAPTURED'),
  ('payment-2', 'order-3', 17999, 'USD', 'CAPTURED');
