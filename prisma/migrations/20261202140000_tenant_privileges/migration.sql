-- Multi-tenancy (SYS-010): the tenant role (agency_tenant, whose member agency_app is the login
-- the API's client requests use) gets exactly what the tenant paths (services `forTenant`) do,
-- and nothing on a system table. Until now every table was granted SELECT, INSERT, UPDATE and
-- DELETE by default and only some were revoked afterwards: pool_purchases, pool_snapshots and
-- health_snapshots (no row-level security) were readable and writable by any tenant session.
--
-- The intended matrix (test/db/tenancy.test.ts checks every table against it):
--   clients           SELECT                          its own row (RLS)
--   campaigns         SELECT INSERT UPDATE DELETE     its own rows (RLS)
--   lead_import_rows  SELECT INSERT                   its own rows (RLS)
--   leads             SELECT INSERT UPDATE            its own rows (RLS)
--   touches           SELECT INSERT UPDATE DELETE     its own rows (RLS)
--   every other table nothing: client-owned ones no tenant path uses (api_keys, subscriptions,
--                     resource_allocations, webhook_events, alerts, linkedin_invitations: RLS
--                     stays on them as a second wall) and the system tables (the pool, usage,
--                     suppressions, the sandbox outbox, snapshots, purchases, migrations).
-- A table added later gets nothing by default: the migration that adds a client-owned table
-- grants what its tenant path needs (and enables RLS); the sweep test fails until it is listed.

DO $$
DECLARE
  s text := current_schema();
  t text;
BEGIN
  -- Tables created from now on: nothing for tenants unless a migration grants it.
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON TABLES FROM agency_tenant', s);
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON SEQUENCES FROM agency_tenant', s);
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON FUNCTIONS FROM agency_tenant', s);
  -- Tenants create nothing in the schema.
  EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM agency_tenant', s);
  -- Every existing table: nothing, then the grants of the matrix above.
  FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = s AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  LOOP
    EXECUTE format('REVOKE ALL ON %I.%I FROM agency_tenant', s, t);
  END LOOP;
  EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM agency_tenant', s);
END
$$;

GRANT SELECT ON "clients" TO agency_tenant;
GRANT SELECT, INSERT, UPDATE, DELETE ON "campaigns" TO agency_tenant;
GRANT SELECT, INSERT ON "lead_import_rows" TO agency_tenant;
GRANT SELECT, INSERT, UPDATE ON "leads" TO agency_tenant;
GRANT SELECT, INSERT, UPDATE, DELETE ON "touches" TO agency_tenant;
