CREATE TABLE products (
  sku text PRIMARY KEY,
  name text NOT NULL,
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  quantity_on_hand integer NOT NULL CHECK (quantity_on_hand >= 0)
);
