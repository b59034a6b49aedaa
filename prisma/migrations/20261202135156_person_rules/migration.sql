-- AlterEnum
ALTER TYPE "LeadStatus" ADD VALUE 'duplicate';
ALTER TYPE "LeadStatus" ADD VALUE 'cancelled';

-- CreateTable
CREATE TABLE "person_sequences" (
    "person_key" TEXT NOT NULL,
    "lead_id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "person_sequences_pkey" PRIMARY KEY ("person_key")
);

-- CreateTable
CREATE TABLE "person_day_touches" (
    "person_key" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "lead_id" UUID NOT NULL,
    "step" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "person_day_touches_pkey" PRIMARY KEY ("person_key","day")
);

-- CreateIndex
CREATE INDEX "person_sequences_lead_id_idx" ON "person_sequences"("lead_id");

-- System tables (the person rules span clients): the tenant role never touches them. The claim
-- names its client, so it carries the row-level security every table with client_id has.
REVOKE ALL ON "person_sequences", "person_day_touches" FROM agency_tenant;
ALTER TABLE "person_sequences" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "person_sequences" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "person_sequences" TO agency_tenant
  USING (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid)
  WITH CHECK (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid);
CREATE POLICY system_access ON "person_sequences" TO agency_system USING (true) WITH CHECK (true);
