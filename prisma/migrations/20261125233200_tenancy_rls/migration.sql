-- Multi-tenancy (SYS-010): row-level security on every client-owned table.
--
-- Two NOLOGIN group roles, neither with BYPASSRLS:
--   agency_tenant  sees only the rows whose client_id equals the transaction setting
--                  app.client_id (set with set_config('app.client_id', $1, true));
--   agency_system  the explicit system path (worker, admin API, migrations): all rows.
-- RLS is ENABLEd and FORCEd, so the table owner is bound by the policies too; the migrating
-- user is granted agency_system. The login role the API uses for client requests
-- (agency_app) is created by scripts/db-migrate.ts as a member of agency_tenant only.

DO $$
BEGIN
  BEGIN
    CREATE ROLE agency_tenant NOLOGIN NOBYPASSRLS;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  BEGIN
    CREATE ROLE agency_system NOLOGIN NOBYPASSRLS;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END;
  EXECUTE format('GRANT agency_system TO %I', current_user);
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO agency_tenant, agency_system', current_schema());
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO agency_tenant, agency_system', current_schema());
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO agency_tenant, agency_system', current_schema());
END
$$;

-- Pool tables are not client-owned: tenants get no access at all; the system role has it.
REVOKE ALL ON "domains", "mailboxes", "phone_numbers", "linkedin_seats" FROM agency_tenant;
DO $$
BEGIN
  IF to_regclass('_prisma_migrations') IS NOT NULL THEN
    REVOKE ALL ON "_prisma_migrations" FROM agency_tenant, agency_system;
  END IF;
END
$$;

-- A tenant reads its own client row and may not change it.
ALTER TABLE "clients" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "clients" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "clients" FOR SELECT TO agency_tenant
  USING ("id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
CREATE POLICY system_access ON "clients" TO agency_system USING (true) WITH CHECK (true);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['api_keys', 'subscriptions', 'resource_allocations', 'campaigns',
                           'lead_import_rows', 'leads', 'touches', 'webhook_events', 'alerts']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I TO agency_tenant
      USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid)
      WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid)$p$, t);
    EXECUTE format('CREATE POLICY system_access ON %I TO agency_system USING (true) WITH CHECK (true)', t);
  END LOOP;
END
$$;

-- At most one open allocation per pool resource.
CREATE UNIQUE INDEX "resource_allocations_open_resource_key"
  ON "resource_allocations" ("resource_type", "resource_id") WHERE "released_at" IS NULL;

-- At most one unresolved alert per condition (RP-003: not repeated while the condition lasts).
CREATE UNIQUE INDEX "alerts_open_dedupe_key" ON "alerts" ("dedupe_key") WHERE "resolved_at" IS NULL;
