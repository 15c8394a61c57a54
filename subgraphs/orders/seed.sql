-- Demo data, loaded once into an empty database (see the contract's demo data table).
INSERT INTO orders (id, user_id, status, created_at) VALUES
  ('order-1', 'alice', 'PENDING', now()),
  ('order-2', 'alice', 'PENDING', now() - interval '2 hours'),
  ('order-3', 'bob', 'PENDING', now());

INSERT INTO order_items (order_id, position, sku, quantity) VALUES
  ('order-1', 1, 'KB-001', 1),
  ('order-1', 2, 'MS-002', 2),
  ('order-2', 1, 'MS-002', 1),
  ('order-3', 1, 'MN-003', 1);
