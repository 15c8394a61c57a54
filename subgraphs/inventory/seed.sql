-- Demo data, loaded once into an empty database (see the contract's demo data table).
INSERT INTO products (sku, name, price_cents, quantity_on_hand) VALUES
  ('KB-001', 'Mechanical Keyboard', 4999, 25),
  ('MS-002', 'Wireless Mouse', 1999, 100),
  ('MN-003', '4K Monitor', 17999, 0);
