-- AlterTable
ALTER TABLE "leads" ADD COLUMN     "dncr_result" TEXT,
ADD COLUMN     "dncr_washed_at" TIMESTAMPTZ(3),
ADD COLUMN     "hard_bounced_at" TIMESTAMPTZ(3),
ADD COLUMN     "linkedin_provider_id" TEXT,
ADD COLUMN     "meeting_booked_at" TIMESTAMPTZ(3),
ADD COLUMN     "opted_out_at" TIMESTAMPTZ(3),
ADD COLUMN     "replied_at" TIMESTAMPTZ(3),
ADD COLUMN     "score_reasons" JSONB,
ADD COLUMN     "sequence_started_at" TIMESTAMPTZ(3),
ADD COLUMN     "sequence_workflow_id" TEXT,
ADD COLUMN     "sms_consent_basis" TEXT,
ADD COLUMN     "timezone_source" TEXT;

-- AlterTable
ALTER TABLE "mailboxes" ADD COLUMN     "sender_name" TEXT,
ADD COLUMN     "smtp" JSONB;

-- AlterTable
ALTER TABLE "phone_numbers" ADD COLUMN     "voice_ref" TEXT;

-- CreateTable
CREATE TABLE "resource_daily_usage" (
    "resource_type" "ResourceType" NOT NULL,
    "resource_id" UUID NOT NULL,
    "day" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "resource_daily_usage_pkey" PRIMARY KEY ("resource_type","resource_id","day","kind")
);

-- CreateTable
CREATE TABLE "linkedin_invitations" (
    "id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "seat_id" UUID NOT NULL,
    "lead_id" UUID NOT NULL,
    "provider_id" TEXT NOT NULL,
    "invitation_ref" TEXT,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "accepted_at" TIMESTAMPTZ(3),
    "messaged_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "linkedin_invitations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "suppressions" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "source" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "suppressions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sandbox_outbox" (
    "id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sandbox_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "linkedin_invitations_seat_id_sent_at_idx" ON "linkedin_invitations"("seat_id", "sent_at");

-- CreateIndex
CREATE INDEX "linkedin_invitations_provider_id_idx" ON "linkedin_invitations"("provider_id");

-- CreateIndex
CREATE UNIQUE INDEX "linkedin_invitations_seat_id_lead_id_key" ON "linkedin_invitations"("seat_id", "lead_id");

-- CreateIndex
CREATE UNIQUE INDEX "suppressions_kind_value_key" ON "suppressions"("kind", "value");

-- CreateIndex
CREATE INDEX "sandbox_outbox_created_at_idx" ON "sandbox_outbox"("created_at");

-- AddForeignKey
ALTER TABLE "linkedin_invitations" ADD CONSTRAINT "linkedin_invitations_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "linkedin_invitations" ADD CONSTRAINT "linkedin_invitations_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Multi-tenancy (SYS-010): the new client-owned table gets the same policies; the new system
-- tables (usage ledger, global suppressions, sandbox outbox) are not for tenants.
ALTER TABLE "linkedin_invitations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "linkedin_invitations" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "linkedin_invitations" TO agency_tenant
  USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid)
  WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
CREATE POLICY system_access ON "linkedin_invitations" TO agency_system USING (true) WITH CHECK (true);
REVOKE ALL ON "resource_daily_usage", "suppressions", "sandbox_outbox" FROM agency_tenant;
