-- One PostgreSQL role per subgraph, owning its own schema and nothing else: a subgraph's
-- credentials cannot read or change another subgraph's tables, whatever its search_path says.
-- Idempotent: run by the database-roles Job at every rollout (psql, ON_ERROR_STOP).
--
--   psql -v orders_role=orders -v orders_password=... -v payments_role=... -v inventory_role=... \
--        -f database-roles.sql
\set ON_ERROR_STOP on

SELECT format('CREATE ROLE %I LOGIN', role)
FROM unnest(ARRAY[:'orders_role', :'payments_role', :'inventory_role']) AS role
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role)
\gexec

ALTER ROLE :"orders_role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'orders_password';
ALTER ROLE :"payments_role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'payments_password';
ALTER ROLE :"inventory_role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'inventory_password';

-- Nobody but the owner of a schema may use it; nobody may create objects in public.
REVOKE ALL ON DATABASE :"DBNAME" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"DBNAME" TO :"orders_role", :"payments_role", :"inventory_role";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

CREATE SCHEMA IF NOT EXISTS orders AUTHORIZATION :"orders_role";
CREATE SCHEMA IF NOT EXISTS payments AUTHORIZATION :"payments_role";
CREATE SCHEMA IF NOT EXISTS inventory AUTHORIZATION :"inventory_role";
ALTER SCHEMA orders OWNER TO :"orders_role";
ALTER SCHEMA payments OWNER TO :"payments_role";
ALTER SCHEMA inventory OWNER TO :"inventory_role";
REVOKE ALL ON SCHEMA orders, payments, inventory FROM PUBLIC;
