-- Conversations (issue 12; SYS-003, ED-005, SM-003, SYS-004): a conversation per lead, every
-- inbound and outbound message once per provider id, bookings (meetings) and a deal per lead with
-- its CRM ids; and the reply hold on the lead (a reply holds the sequence until the conversation
-- decides: for good, or until an out-of-office's return date).
--
-- Written on the system path (webhooks, workflows). A client reads its own rows under row-level
-- security, and marks a conversation handled (UPDATE on conversations); nothing else.

-- AlterTable
ALTER TABLE "leads" ADD COLUMN     "reply_hold_until" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "conversations" (
    "id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "lead_id" UUID NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'open',
    "last_intent" TEXT,
    "last_channel" "Channel",
    "last_message_at" TIMESTAMPTZ(3),
    "handled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "conversations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "messages" (
    "id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "conversation_id" UUID NOT NULL,
    "lead_id" UUID NOT NULL,
    "direction" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "kind" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_message_id" TEXT NOT NULL,
    "touch_id" UUID,
    "subject" TEXT,
    "text" TEXT NOT NULL,
    "intent" TEXT,
    "confidence" DOUBLE PRECISION,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "meta" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "meetings" (
    "id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "lead_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "booking_uid" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "title" TEXT,
    "starts_at" TIMESTAMPTZ(3),
    "ends_at" TIMESTAMPTZ(3),
    "attendee_email" TEXT,
    "replaces_uid" TEXT,
    "crm_meeting_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "meetings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deals" (
    "id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "lead_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "crm_provider" TEXT,
    "crm_contact_id" TEXT,
    "crm_company_id" TEXT,
    "crm_deal_id" TEXT,
    "crm_synced_at" TIMESTAMPTZ(3),
    "crm_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "deals_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "conversations_lead_id_key" ON "conversations"("lead_id");

-- CreateIndex
CREATE INDEX "conversations_client_id_last_message_at_idx" ON "conversations"("client_id", "last_message_at");

-- CreateIndex
CREATE INDEX "messages_conversation_id_at_idx" ON "messages"("conversation_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "messages_provider_provider_message_id_key" ON "messages"("provider", "provider_message_id");

-- CreateIndex
CREATE INDEX "meetings_client_id_starts_at_idx" ON "meetings"("client_id", "starts_at");

-- CreateIndex
CREATE UNIQUE INDEX "meetings_provider_booking_uid_key" ON "meetings"("provider", "booking_uid");

-- CreateIndex
CREATE UNIQUE INDEX "deals_lead_id_key" ON "deals"("lead_id");

-- CreateIndex
CREATE INDEX "deals_client_id_updated_at_idx" ON "deals"("client_id", "updated_at");

-- AddForeignKey
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deals" ADD CONSTRAINT "deals_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deals" ADD CONSTRAINT "deals_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security (SYS-010), as on every client-owned table (*_tenancy_rls).
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['conversations', 'messages', 'meetings', 'deals'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON %I TO agency_tenant
      USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid)
      WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid)$p$, t);
    EXECUTE format('CREATE POLICY system_access ON %I TO agency_system USING (true) WITH CHECK (true)', t);
    EXECUTE format('GRANT SELECT ON %I TO agency_tenant', t);
  END LOOP;
END $$;

-- The inbox marks a conversation handled (the tenant path; *_tenant_privileges).
GRANT UPDATE ON "conversations" TO agency_tenant;
