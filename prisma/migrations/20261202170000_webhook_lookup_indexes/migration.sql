-- CreateIndex
CREATE INDEX "touches_provider_ref_idx" ON "touches"("provider_ref");

-- A lead by email address in any case (services/leads/lookup.ts byEmail: lower(email) = lower($1));
-- an expression index, which schema.prisma cannot state.
CREATE INDEX "leads_email_lower_idx" ON "leads"(lower("email"));
