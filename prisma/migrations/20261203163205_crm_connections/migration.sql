-- A client's CRM connection (SYS-004): provider, its access token (a secret: the system path
-- only; the API never shows it back), the pipeline and the stage ids deals move through.

-- CreateTable
CREATE TABLE "crm_connections" (
    "client_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "access_token" TEXT NOT NULL,
    "pipeline" TEXT,
    "stages" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "crm_connections_pkey" PRIMARY KEY ("client_id")
);

-- AddForeignKey
ALTER TABLE "crm_connections" ADD CONSTRAINT "crm_connections_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security (SYS-010), as on every client-owned table; the tenant role gets nothing.
ALTER TABLE "crm_connections" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "crm_connections" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "crm_connections" TO agency_tenant
  USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid)
  WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
CREATE POLICY system_access ON "crm_connections" TO agency_system USING (true) WITH CHECK (true);
