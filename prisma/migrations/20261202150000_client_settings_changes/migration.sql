-- Client settings audit (SYS-006, SYS-007): every change of a client's settings, with who made it
-- (the admin, or a client API key by id and display prefix; never the key), when, and each field
-- old -> new. Written on the system path in the transaction that changes the settings
-- (services/client-settings.ts); a client reads its own rows (GET /v1/settings/changes) under
-- row-level security, so the tenant role gets SELECT and nothing else.
--
-- The table is written exactly as `prisma migrate diff` writes the model below, so that adding
-- the model to prisma/schema.prisma (and dropping the table from PENDING_MODEL_TABLES in
-- db/schema-engine.ts) leaves no difference between schema.prisma and the migrations:
--
--   model ClientSettingsChange {
--     id           String   @id @default(uuid()) @db.Uuid
--     clientId     String   @map("client_id") @db.Uuid
--     actor        String
--     apiKeyId     String?  @map("api_key_id") @db.Uuid
--     apiKeyPrefix String?  @map("api_key_prefix")
--     changes      Json
--     createdAt    DateTime @default(now()) @map("created_at") @db.Timestamptz(3)
--
--     client Client @relation(fields: [clientId], references: [id], onDelete: Cascade)
--
--     @@index([clientId, createdAt])
--     @@map("client_settings_changes")
--   }
--   (and on Client: settingsChanges ClientSettingsChange[])

-- CreateTable
CREATE TABLE "client_settings_changes" (
    "id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "actor" TEXT NOT NULL,
    "api_key_id" UUID,
    "api_key_prefix" TEXT,
    "changes" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "client_settings_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "client_settings_changes_client_id_created_at_idx" ON "client_settings_changes"("client_id", "created_at");

-- AddForeignKey
ALTER TABLE "client_settings_changes" ADD CONSTRAINT "client_settings_changes_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security (SYS-010), as on every client-owned table (*_tenancy_rls).
ALTER TABLE "client_settings_changes" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "client_settings_changes" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "client_settings_changes" TO agency_tenant
  USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid)
  WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
CREATE POLICY system_access ON "client_settings_changes" TO agency_system USING (true) WITH CHECK (true);

-- The tenant path only reads its changes (*_tenant_privileges: new tables get nothing by default).
GRANT SELECT ON "client_settings_changes" TO agency_tenant;
