-- VO-001: a client's knowledge base at the voice provider (the query tool over its files) and the
-- files it uploaded (their bytes kept until the provider has them).

-- CreateTable
CREATE TABLE "knowledge_bases" (
    "client_id" UUID NOT NULL,
    "provider_tool_id" TEXT,
    "file_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "synced_at" TIMESTAMPTZ(3),
    "error" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "knowledge_bases_pkey" PRIMARY KEY ("client_id")
);

-- CreateTable
CREATE TABLE "knowledge_files" (
    "id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "content" BYTEA,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "provider_file_id" TEXT,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uploaded_at" TIMESTAMPTZ(3),

    CONSTRAINT "knowledge_files_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "knowledge_files_client_id_status_idx" ON "knowledge_files"("client_id", "status");

-- AddForeignKey
ALTER TABLE "knowledge_bases" ADD CONSTRAINT "knowledge_bases_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "knowledge_files" ADD CONSTRAINT "knowledge_files_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security (SYS-010), as on every client-owned table: a client reads its own (the API's
-- tenant path lists them); every write is the system path's, for the client the API key names.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['knowledge_bases', 'knowledge_files'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($f$CREATE POLICY tenant_isolation ON %I TO agency_tenant
      USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid)
      WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid)$f$, t);
    EXECUTE format('CREATE POLICY system_access ON %I TO agency_system USING (true) WITH CHECK (true)', t);
    EXECUTE format('GRANT SELECT ON %I TO agency_tenant', t);
  END LOOP;
END $$;
