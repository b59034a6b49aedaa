/**
 * Activities of the lead sequence (lead:{leadId}). They read and write Postgres, compute
 * recipient-local times with domain/ rules, and reach providers only through the ports in
 * providers/ports.ts (real adapters or sandbox). No business rule lives here: each decision is a
 * domain/ function.
 *
 * Exactly-once sending: sendStep first inserts the touch row keyed by the workflow's idempotency
 * key, in the same transaction as the cap reservation (the system path: caps are pool-wide), then marks the row "provider call
 * started", then calls the provider (SDK retries off), then records the result. A retry that
 * finds the row sent returns the recorded result; one that finds the call started but no result
 * does not call again (the outcome is unknown, the lead is not contacted twice).
 */
import { createHmac } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { Prisma as PrismaNs } from '../generated/prisma/client.js';
import type { Db, TenantTx } from '../db/client.js';
import type { ProviderSet } from './providers.js';
import { ProviderError, type CallReport } from '../providers/ports.js';
import {
  defaultDomainConfig,
  resolveClientConfig,
  CHANNEL_OF_KIND,
  type DomainConfig,
  type LeadTier,
  type StepKind,
} from '../domain/config.js';
import { generateSequence, recheckStep, type LeadFacts, type SkipReason } from '../domain/sequence.js';
import { nextSendTimeMs, localDate, startOfNextLocalDay, isInsideWindow } from '../domain/windows.js';
import { dncrApplies, dncrDecision } from '../domain/dncr.js';
import { mailboxDailyLimit, domainAgeDays } from '../domain/warmup.js';
import { pickMailbox, type RotationMailbox } from '../domain/mailbox-rotation.js';
import { seatLimits, canReserve } from '../domain/linkedin.js';
import { voiceRetryDecision } from '../domain/voice.js';
import {
  firstEmail,
  followUpEmail,
  smsMessage,
  linkedinNote,
  linkedinMessage,
  voiceOpening,
  voicemailMessage,
  type MessageContext,
} from '../domain/message-templates.js';
import { followUpSubject } from '../domain/sequence.js';
import type { CallEnded, StepKindName } from '../workflows/contracts.js';

export interface LeadSequenceSettings {
  /** Public base URL of the API (unsubscribe links, provider status callbacks). */
  publicBaseUrl: string;
  /** Signs unsubscribe links. */
  unsubscribeSecret: string;
}

export interface LeadSequenceDeps {
  db: Db;
  providers: ProviderSet;
  settings: LeadSequenceSettings;
}

type Kind = StepKindName | 'linkedin_message';
const DAY_MS = 86_400_000;
/** How long a placed call holds one of the client's concurrent-call slots at most (no report yet). */
const CALL_SLOT_MS = 15 * 60_000;
/** When all slots are taken, try again this much later. */
const CALL_RETRY_MS = 5 * 60_000;

/** Per-client settings kept in clients.settings (JSON). */
const ClientSettingsSchema = z
  .object({
    domainConfig: z.record(z.string(), z.unknown()).optional(),
    senderName: z.string().optional(),
    pitch: z.string().optional(),
    smsConsentBasis: z.string().optional(),
    voice: z.object({ assistantId: z.string().optional(), voicemailMessage: z.string().optional() }).optional(),
  })
  .passthrough();

export function unsubscribeToken(secret: string, leadId: string): string {
  return `${leadId}.${createHmac('sha256', secret).update(`unsubscribe:${leadId}`).digest('base64url').slice(0, 32)}`;
}

export function verifyUnsubscribeToken(secret: string, token: string): string | null {
  const leadId = token.split('.')[0] ?? '';
  if (!/^[0-9a-f-]{36}$/i.test(leadId)) return null;
  const expected = unsubscribeToken(secret, leadId);
  return expected.length === token.length &&
    createHmac('sha256', 'cmp').update(expected).digest('hex') === createHmac('sha256', 'cmp').update(token).digest('hex')
    ? leadId
    : null;
}

function permanent(message: string, type: string): never {
  throw ApplicationFailure.nonRetryable(message, type);
}

/** Transient provider errors are rethrown for Temporal to retry; permanent ones become outcomes. */
function providerFailure(err: unknown): { status: 'failed'; reason: string } {
  if (err instanceof ProviderError && !err.retryable) return { status: 'failed', reason: `${err.provider}:${err.code}` };
  throw err;
}

export function createLeadSequenceActivities({ db, providers, settings }: LeadSequenceDeps) {
  async function context(tx: TenantTx, clientId: string, leadId: string) {
    const lead = await tx.lead.findUnique({ where: { id: leadId }, include: { campaign: { select: { icp: true } } } });
    if (!lead) permanent(`lead ${leadId} not found for client ${clientId}`, 'LeadNotFound');
    const client = await tx.client.findUniqueOrThrow({ where: { id: clientId } });
    const s = ClientSettingsSchema.parse(client.settings ?? {});
    let config: DomainConfig = defaultDomainConfig;
    if (s.domainConfig) config = resolveClientConfig(s.domainConfig as never);
    const zone = lead.timezone ?? client.defaultTimezone;
    const location = { country: lead.country ?? client.defaultCountry, state: lead.state };
    const icp = (lead.campaign.icp ?? {}) as { description?: string };
    const msg: MessageContext = {
      firstName: lead.firstName,
      company: lead.company,
      clientName: client.name,
      senderName: s.senderName,
      pitch: s.pitch ?? icp.description,
    };
    return { lead, client, settings: s, config, zone, location, msg };
  }

  async function openAllocations(clientId: string, type: 'mailbox' | 'phone_number' | 'linkedin_seat') {
    const rows = await db.system.resourceAllocation.findMany({
      where: { clientId, resourceType: type, releasedAt: null },
      select: { resourceId: true },
    });
    return rows.map((r) => r.resourceId);
  }

  async function suppressed(email: string | null, phone: string | null): Promise<{ email: boolean; phone: boolean }> {
    const values = [email ? { kind: 'email', value: email.toLowerCase() } : null, phone ? { kind: 'phone', value: phone } : null].filter(
      Boolean,
    ) as { kind: string; value: string }[];
    if (!values.length) return { email: false, phone: false };
    const rows = await db.system.suppression.findMany({ where: { OR: values } });
    return { email: rows.some((r) => r.kind === 'email'), phone: rows.some((r) => r.kind === 'phone') };
  }

  async function leadFacts(ctx: Awaited<ReturnType<typeof context>>, now: number): Promise<LeadFacts> {
    const { lead } = ctx;
    const seats = await openAllocations(lead.clientId, 'linkedin_seat');
    return {
      tier: (lead.tier as LeadTier | null) ?? undefined,
      score: lead.score ?? undefined,
      email: lead.email,
      hardBounced: Boolean(lead.hardBouncedAt),
      optedOut: Boolean(lead.optedOutAt),
      phoneE164: lead.phoneE164,
      linkedinUrl: lead.linkedinUrl,
      linkedinSeatAvailable: seats.length > 0,
      dncr: lead.dncrResult ? { registered: lead.dncrResult === 'registered', washedAt: lead.dncrWashedAt, registerAvailable: true } : null,
      smsConsentBasis: lead.smsConsentBasis ?? ctx.settings.smsConsentBasis ?? null,
      now,
    };
  }

  /** Atomically takes one unit of a daily cap; false when the cap is reached (never counted in memory). */
  async function reserveDaily(
    tx: Pick<TenantTx, '$queryRaw'>,
    type: 'mailbox' | 'phone_number' | 'linkedin_seat',
    resourceId: string,
    day: string,
    kind: string,
    limit: number,
  ): Promise<boolean> {
    if (limit <= 0) return false;
    const rows = await tx.$queryRaw<{ count: number }[]>`
      INSERT INTO resource_daily_usage (resource_type, resource_id, day, kind, count, updated_at)
      VALUES (${type}::"ResourceType", ${resourceId}::uuid, ${day}, ${kind}, 1, now())
      ON CONFLICT (resource_type, resource_id, day, kind)
      DO UPDATE SET count = resource_daily_usage.count + 1, updated_at = now()
      WHERE resource_daily_usage.count < ${limit}
      RETURNING count`;
    return rows.length === 1;
  }

  async function usage(
    type: 'mailbox' | 'phone_number' | 'linkedin_seat',
    ids: string[],
    day: string,
    kind: string,
  ): Promise<Map<string, number>> {
    if (!ids.length) return new Map();
    const rows = await db.system.resourceDailyUsage.findMany({ where: { resourceType: type, resourceId: { in: ids }, day, kind } });
    return new Map(rows.map((r) => [r.resourceId, r.count]));
  }

  type Existing = { done: SendResult };
  type SendResult =
    | { status: 'sent'; outcome: string; callId?: string }
    | { status: 'skipped'; reason: SkipReason | string }
    | { status: 'failed'; reason: string }
    | { status: 'no_capacity' | 'retry_later'; notBeforeMs: number; reason: string };

  /** Looks up a touch by key: a finished one answers for itself; a started one is never re-sent. */
  async function existingTouch(clientId: string, key: string): Promise<Existing | { touchId: string } | null> {
    const t = await db.asTenant(clientId, (tx) => tx.touch.findUnique({ where: { idempotencyKey: key } }));
    if (!t) return null;
    if (t.status === 'sent' || t.status === 'delivered') {
      const o = (t.outcome ?? {}) as { callId?: string };
      return { done: { status: 'sent', outcome: t.providerRef ?? 'sent', callId: o.callId } };
    }
    if (t.status === 'failed')
      return { done: { status: 'failed', reason: String((t.outcome as { reason?: string } | null)?.reason ?? 'failed') } };
    if ((t.outcome as { phase?: string } | null)?.phase === 'provider_call') {
      await db.asTenant(clientId, (tx) =>
        tx.touch.update({
          where: { id: t.id },
          data: { status: 'failed', outcome: { reason: 'outcome_unknown_after_crash', phase: 'provider_call' } },
        }),
      );
      return { done: { status: 'failed', reason: 'outcome_unknown_after_crash' } };
    }
    return { touchId: t.id };
  }

  async function markCalling(clientId: string, touchId: string, extra: Record<string, unknown> = {}) {
    await db.asTenant(clientId, (tx) =>
      tx.touch.update({ where: { id: touchId }, data: { outcome: { phase: 'provider_call', ...extra } as object } }),
    );
  }

  async function recordSent(
    clientId: string,
    touchId: string,
    provider: string,
    providerRef: string,
    outcome: Record<string, unknown>,
    sentAtMs?: number,
  ) {
    await db.asTenant(clientId, (tx) =>
      tx.touch.update({
        where: { id: touchId },
        data: {
          status: 'sent',
          sentAt: new Date(sentAtMs ?? Date.now()),
          provider,
          providerRef,
          outcome: { phase: 'done', ...outcome } as object,
        },
      }),
    );
  }

  async function recordFailed(clientId: string, touchId: string, reason: string) {
    await db.asTenant(clientId, (tx) =>
      tx.touch.update({ where: { id: touchId }, data: { status: 'failed', outcome: { phase: 'done', reason } } }),
    );
  }

  function evidence(
    ctx: Awaited<ReturnType<typeof context>>,
    kind: Kind,
    plannedAt: string | undefined,
    extra: Record<string, unknown> = {},
  ) {
    return {
      window: {
        channel: kind.startsWith('linkedin') ? 'linkedin' : (CHANNEL_OF_KIND[kind as StepKind] ?? kind),
        zone: ctx.zone,
        plannedAt,
      },
      tier: ctx.lead.tier,
      score: ctx.lead.score,
      dncrWashedAt: ctx.lead.dncrWashedAt?.toISOString() ?? null,
      dncrResult: ctx.lead.dncrResult,
      consentBasis: ctx.lead.smsConsentBasis ?? ctx.settings.smsConsentBasis ?? null,
      ...extra,
    };
  }

  // ---- email ---------------------------------------------------------------------------------
  async function sendEmail(input: SendStepInput, ctx: Awaited<ReturnType<typeof context>>): Promise<SendResult> {
    const { lead, client, config } = ctx;
    if (!lead.email) return { status: 'skipped', reason: 'no_email' };
    const now = input.nowMs ?? Date.now();
    const day = localDate(client.defaultTimezone, now);
    const mailboxIds = await openAllocations(client.id, 'mailbox');
    if (!mailboxIds.length) return { status: 'skipped', reason: 'no_mailbox' };
    const mailboxes = await db.system.mailbox.findMany({ where: { id: { in: mailboxIds } }, include: { domain: true } });
    const used = await usage('mailbox', mailboxIds, day, 'cold_email');
    const clientUsed = (await usage('mailbox', [client.id], day, 'client_cold_email')).get(client.id) ?? 0;
    const rotation: RotationMailbox[] = mailboxes.map((m) => {
      const limit = mailboxDailyLimit(
        {
          domainAgeDays: domainAgeDays(m.domain.purchasedAt ?? m.domain.createdAt, now),
          heatScore: m.domain.heatScore,
          health: m.domain.healthClass as never,
          paused: m.status === 'paused' || m.domain.status === 'paused',
        },
        config,
      );
      return {
        id: m.id,
        health: m.domain.healthClass as never,
        sentToday: used.get(m.id) ?? 0,
        coldLimit: limit.cold,
        paused: m.status === 'paused',
      };
    });
    let threadMailboxId: string | null = null;
    let threadMessageId: string | undefined;
    let firstSubject: string | undefined;
    if (input.kind === 'email_followup') {
      const first = await db.asTenant(client.id, (tx) =>
        tx.touch.findFirst({
          where: { leadId: lead.id, channel: 'email', status: 'sent', step: { lt: input.step } },
          orderBy: { step: 'asc' },
        }),
      );
      if (!first) return { status: 'skipped', reason: 'no_first_email' };
      const ev = first.evidence as { mailboxId?: string; subject?: string };
      threadMailboxId = ev.mailboxId ?? null;
      threadMessageId = first.providerRef ?? undefined;
      firstSubject = ev.subject;
    }
    const lastUsed = await db.system.resourceDailyUsage.findFirst({
      where: { resourceType: 'mailbox', resourceId: { in: mailboxIds }, kind: 'cold_email' },
      orderBy: { updatedAt: 'desc' },
    });
    const pick = pickMailbox(
      { mailboxes: rotation, lastUsedId: lastUsed?.resourceId, threadMailboxId, clientSentToday: clientUsed },
      config,
    );
    const nextDay = () =>
      nextSendTimeMs({
        channel: 'email',
        zone: ctx.zone,
        location: ctx.location,
        now: startOfNextLocalDay(client.defaultTimezone, now),
        seed: input.idempotencyKey,
        config,
      });
    if (!pick.mailboxId) {
      if (pick.reason === 'thread_mailbox_missing') return { status: 'skipped', reason: 'thread_mailbox_missing' };
      return { status: 'no_capacity', notBeforeMs: nextDay(), reason: pick.reason };
    }
    const order =
      pick.reason === 'thread'
        ? [pick.mailboxId]
        : [pick.mailboxId, ...rotation.filter((m) => m.id !== pick.mailboxId && m.sentToday < m.coldLimit).map((m) => m.id)];
    const rendered = input.kind === 'email' ? firstEmail(ctx.msg) : followUpEmail(ctx.msg);
    const subject = input.kind === 'email' ? rendered.subject! : followUpSubject(firstSubject ?? firstEmail(ctx.msg).subject!);

    // Reserve the touch and one unit of a mailbox's and the client's daily cap, atomically.
    let chosen: (typeof mailboxes)[number] | undefined;
    let touchId: string | undefined;
    try {
      await db.system.$transaction(async (tx) => {
        for (const id of order) {
          const limit = rotation.find((r) => r.id === id)!.coldLimit;
          if (await reserveDaily(tx, 'mailbox', id, day, 'cold_email', limit)) {
            chosen = mailboxes.find((m) => m.id === id);
            break;
          }
        }
        if (!chosen) return;
        if (
          !(await reserveDaily(
            tx,
            'mailbox',
            client.id,
            day,
            'client_cold_email',
            pick ? config.email.clientDailyCap - Math.ceil((config.email.clientDailyCap * config.email.replyReservePercent) / 100) : 0,
          ))
        ) {
          chosen = undefined;
          throw new CapRollback();
        }
        const domain = chosen.email.split('@')[1]!;
        const messageId = `<${createHmac('sha256', 'mid').update(input.idempotencyKey).digest('hex').slice(0, 24)}.agencyos@${domain}>`;
        const t = await tx.touch.create({
          data: {
            clientId: client.id,
            campaignId: lead.campaignId,
            leadId: lead.id,
            step: input.step,
            channel: 'email',
            idempotencyKey: input.idempotencyKey,
            plannedAt: input.plannedAt ? new Date(input.plannedAt) : null,
            providerRef: messageId,
            evidence: evidence(ctx, input.kind, input.plannedAt, { mailboxId: chosen.id, subject, day, threadOf: threadMessageId ?? null }),
          },
        });
        touchId = t.id;
      });
    } catch (err) {
      if (!(err instanceof CapRollback)) throw err;
    }
    if (!chosen || !touchId) return { status: 'no_capacity', notBeforeMs: nextDay(), reason: 'mailbox_cap_reached' };
    const touch = await db.asTenant(client.id, (tx) => tx.touch.findUniqueOrThrow({ where: { id: touchId! } }));
    await markCalling(client.id, touchId);
    const unsubscribeUrl = `${settings.publicBaseUrl}/u/${unsubscribeToken(settings.unsubscribeSecret, lead.id)}`;
    try {
      const sent = await providers.email.send({
        smtp: (chosen.smtp as never) ?? { host: 'sandbox', port: 0, secure: false, user: chosen.email, pass: '' },
        from: { address: chosen.email, name: chosen.senderName ?? ctx.settings.senderName ?? client.name },
        to: { address: lead.email, name: [lead.firstName, lead.lastName].filter(Boolean).join(' ') || undefined },
        subject,
        text: `${rendered.text}\n\nUnsubscribe: ${unsubscribeUrl}`,
        messageId: touch.providerRef!,
        inReplyTo: threadMessageId,
        references: threadMessageId ? [threadMessageId] : undefined,
        headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      });
      await recordSent(client.id, touchId, 'smtp', sent.messageId, { response: sent.response, mailboxId: chosen.id }, now);
      return { status: 'sent', outcome: sent.messageId };
    } catch (err) {
      const f = providerFailureOrRethrow(err);
      await recordFailed(client.id, touchId, f.reason);
      return f;
    }
  }

  // ---- SMS -------------------------------------------------------------------------------------
  async function sendSms(input: SendStepInput, ctx: Awaited<ReturnType<typeof context>>): Promise<SendResult> {
    const { lead, client, config } = ctx;
    if (!lead.phoneE164) return { status: 'skipped', reason: 'no_phone' };
    const now = input.nowMs ?? Date.now();
    const numbers = await db.system.phoneNumber.findMany({
      where: { id: { in: await openAllocations(client.id, 'phone_number') }, status: 'ready' },
      orderBy: { id: 'asc' },
    });
    const zoneDay = localDate(ctx.zone, now);
    const rendered = smsMessage(ctx.msg, config);
    let from: (typeof numbers)[number] | undefined;
    let touchId: string | undefined;
    await db.system.$transaction(async (tx) => {
      for (const n of numbers) {
        if (await reserveDaily(tx, 'phone_number', n.id, zoneDay, 'sms', config.sms.dailyPerNumber)) {
          from = n;
          break;
        }
      }
      if (!from) return;
      const t = await tx.touch.create({
        data: {
          clientId: client.id,
          campaignId: lead.campaignId,
          leadId: lead.id,
          step: input.step,
          channel: 'sms',
          idempotencyKey: input.idempotencyKey,
          plannedAt: input.plannedAt ? new Date(input.plannedAt) : null,
          evidence: evidence(ctx, input.kind, input.plannedAt, { from: from.e164, numberId: from.id }),
        },
      });
      touchId = t.id;
    });
    if (!numbers.length) return { status: 'skipped', reason: 'no_sending_number' };
    if (!from || !touchId)
      return {
        status: 'no_capacity',
        notBeforeMs: nextSendTimeMs({
          channel: 'sms',
          zone: ctx.zone,
          location: ctx.location,
          now: startOfNextLocalDay(ctx.zone, now),
          config,
        }),
        reason: 'number_cap_reached',
      };
    await markCalling(client.id, touchId);
    try {
      const sent = await providers.sms.send({
        from: from.e164,
        to: lead.phoneE164,
        body: rendered.text,
        statusCallback: `${settings.publicBaseUrl}/webhooks/twilio/status`,
      });
      await recordSent(client.id, touchId, 'twilio', sent.sid, { status: sent.status, numSegments: sent.numSegments }, now);
      return { status: 'sent', outcome: sent.sid };
    } catch (err) {
      const f = providerFailureOrRethrow(err);
      await recordFailed(client.id, touchId, f.reason);
      return f;
    }
  }

  // ---- voice -----------------------------------------------------------------------------------
  async function placeCall(input: SendStepInput, ctx: Awaited<ReturnType<typeof context>>): Promise<SendResult> {
    const { lead, client, config } = ctx;
    if (!lead.phoneE164) return { status: 'skipped', reason: 'no_phone' };
    const assistantId = ctx.settings.voice?.assistantId ?? 'sandbox-assistant';
    const now = input.nowMs ?? Date.now();
    const numbers = await db.system.phoneNumber.findMany({
      where: { id: { in: await openAllocations(client.id, 'phone_number') }, status: 'ready' },
      orderBy: { id: 'asc' },
    });
    if (!numbers.length) return { status: 'skipped', reason: 'no_sending_number' };
    const zoneDay = localDate(ctx.zone, now);
    let from: (typeof numbers)[number] | undefined;
    let touchId: string | undefined;
    let busyClient = false;
    await db.system.$transaction(async (tx) => {
      // VO-001: at most `concurrentPerClient` calls in progress per client. A call counts from its
      // placing until its outcome is recorded (or for the longest a call can last, plus margin).
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`calls:${client.id}`}))`;
      const inProgress = await tx.touch.count({
        where: { clientId: client.id, channel: 'voice', status: 'sent', sentAt: { gte: new Date(now - CALL_SLOT_MS) } },
      });
      if (inProgress >= config.voice.concurrentPerClient) {
        busyClient = true;
        return;
      }
      for (const n of numbers) {
        if (await reserveDaily(tx, 'phone_number', n.id, zoneDay, 'call', config.voice.dailyCallsPerNumber)) {
          from = n;
          break;
        }
      }
      if (!from) return;
      const t = await tx.touch.create({
        data: {
          clientId: client.id,
          campaignId: lead.campaignId,
          leadId: lead.id,
          step: input.step,
          channel: 'voice',
          idempotencyKey: input.idempotencyKey,
          plannedAt: input.plannedAt ? new Date(input.plannedAt) : null,
          evidence: evidence(ctx, input.kind, input.plannedAt, { from: from.e164, numberId: from.id }),
        },
      });
      touchId = t.id;
    });
    if (busyClient)
      return {
        status: 'retry_later',
        notBeforeMs: nextSendTimeMs({ channel: 'voice', zone: ctx.zone, location: ctx.location, now: now + CALL_RETRY_MS, config }),
        reason: 'client_calls_busy',
      };
    if (!from || !touchId)
      return {
        status: 'no_capacity',
        notBeforeMs: nextSendTimeMs({
          channel: 'voice',
          zone: ctx.zone,
          location: ctx.location,
          now: startOfNextLocalDay(ctx.zone, now),
          config,
        }),
        reason: 'number_cap_reached',
      };
    await markCalling(client.id, touchId);
    const voicemail =
      config.voice.voicemail === 'leave_message'
        ? { action: 'leave_message' as const, message: ctx.settings.voice?.voicemailMessage ?? voicemailMessage(ctx.msg) }
        : { action: 'hang_up' as const };
    try {
      const placed = await providers.voice.startCall({
        assistantId,
        phoneNumberId: from.voiceRef ?? from.id,
        customer: { number: lead.phoneE164, name: [lead.firstName, lead.lastName].filter(Boolean).join(' ') || undefined },
        voicemail,
        metadata: { leadId: lead.id, clientId: client.id, idempotencyKey: input.idempotencyKey, opening: voiceOpening(ctx.msg) },
        maxDurationSeconds: config.voice.maxCallSeconds,
      });
      await recordSent(client.id, touchId, 'vapi', placed.callId, { callId: placed.callId, status: placed.status }, now);
      return { status: 'sent', outcome: 'call_placed', callId: placed.callId };
    } catch (err) {
      const f = providerFailureOrRethrow(err);
      await recordFailed(client.id, touchId, f.reason);
      return f;
    }
  }

  // ---- LinkedIn --------------------------------------------------------------------------------
  async function linkedinConnect(input: SendStepInput, ctx: Awaited<ReturnType<typeof context>>): Promise<SendResult> {
    const { lead, client, config } = ctx;
    if (!lead.linkedinUrl) return { status: 'skipped', reason: 'no_linkedin_url' };
    const seats = await db.system.linkedInSeat.findMany({
      where: { id: { in: await openAllocations(client.id, 'linkedin_seat') }, status: { in: ['ready', 'warming'] } },
      orderBy: { id: 'asc' },
    });
    if (!seats.length) return { status: 'skipped', reason: 'no_seat' };
    const now = input.nowMs ?? Date.now();
    let chosen: (typeof seats)[number] | undefined;
    let retryAt: number | undefined;
    let touchId: string | undefined;
    await db.system.$transaction(async (tx) => {
      for (const seat of seats) {
        await tx.$queryRaw`SELECT id FROM linkedin_seats WHERE id = ${seat.id}::uuid FOR UPDATE`;
        const history = await tx.linkedInInvitation.findMany({
          where: { seatId: seat.id, sentAt: { gte: new Date(now - config.linkedin.weeklyWindowDays * DAY_MS) } },
          select: { sentAt: true },
        });
        const limits = seatLimits(
          {
            startedAt: seat.createdAt,
            status: seat.health === 'ok' && seat.status !== 'paused' ? 'active' : seat.health === 'ok' ? 'paused' : (seat.health as never),
            acceptRate: seat.acceptRate,
          },
          now,
          config,
        );
        const ok = canReserve(
          history.map((h) => h.sentAt),
          now,
          { ...limits, zone: seat.timezone },
          config,
        );
        if (ok.ok) {
          chosen = seat;
          await tx.linkedInInvitation.upsert({
            where: { seatId_leadId: { seatId: seat.id, leadId: lead.id } },
            create: { clientId: client.id, seatId: seat.id, leadId: lead.id, providerId: 'pending-lookup', sentAt: new Date(now) },
            update: {},
          });
          const t = await tx.touch.create({
            data: {
              clientId: client.id,
              campaignId: lead.campaignId,
              leadId: lead.id,
              step: input.step,
              channel: 'linkedin',
              idempotencyKey: input.idempotencyKey,
              plannedAt: input.plannedAt ? new Date(input.plannedAt) : null,
              evidence: evidence(ctx, input.kind, input.plannedAt, { seatId: seat.id, limits }),
            },
          });
          touchId = t.id;
          return;
        }
        if (ok.retryAt) retryAt = Math.min(retryAt ?? Infinity, ok.retryAt.getTime());
      }
    });
    if (!chosen || !touchId) {
      const base = retryAt ?? startOfNextLocalDay(seats[0]!.timezone, now).getTime();
      return { status: 'no_capacity', notBeforeMs: base, reason: 'seat_cap_reached' };
    }
    await markCalling(client.id, touchId);
    const slug = lead.linkedinUrl.replace(/\/+$/, '').split('/').pop() ?? lead.linkedinUrl;
    try {
      const profile = await providers.linkedin.getProfile(chosen.accountRef, slug);
      await db.system.lead.update({ where: { id: lead.id }, data: { linkedinProviderId: profile.providerId } });
      if (profile.invitationPending || profile.networkDistance === 'FIRST_DEGREE') {
        const state = profile.networkDistance === 'FIRST_DEGREE' ? 'already_connected' : 'already_pending';
        await db.system.linkedInInvitation.update({
          where: { seatId_leadId: { seatId: chosen.id, leadId: lead.id } },
          data: { providerId: profile.providerId },
        });
        await recordSent(client.id, touchId, 'unipile', state, { state }, now);
        return { status: 'sent', outcome: state };
      }
      const inv = await providers.linkedin.sendInvitation({
        accountId: chosen.accountRef,
        providerId: profile.providerId,
        message: linkedinNote(ctx.msg).text,
      });
      await db.system.linkedInInvitation.update({
        where: { seatId_leadId: { seatId: chosen.id, leadId: lead.id } },
        data: { providerId: profile.providerId, invitationRef: inv.invitationId },
      });
      await recordSent(client.id, touchId, 'unipile', inv.invitationId, { seatId: chosen.id }, now);
      return { status: 'sent', outcome: inv.invitationId };
    } catch (err) {
      const f = providerFailureOrRethrow(err);
      await recordFailed(client.id, touchId, f.reason);
      return f;
    }
  }

  async function linkedinSendMessage(input: SendStepInput, ctx: Awaited<ReturnType<typeof context>>): Promise<SendResult> {
    const inv = await db.system.linkedInInvitation.findFirst({ where: { leadId: ctx.lead.id }, orderBy: { sentAt: 'desc' } });
    if (!inv) return { status: 'skipped', reason: 'no_invitation' };
    const seat = await db.system.linkedInSeat.findUniqueOrThrow({ where: { id: inv.seatId } });
    const touch = await db.asTenant(ctx.client.id, (tx) =>
      tx.touch.create({
        data: {
          clientId: ctx.client.id,
          campaignId: ctx.lead.campaignId,
          leadId: ctx.lead.id,
          step: input.step,
          channel: 'linkedin',
          idempotencyKey: input.idempotencyKey,
          plannedAt: input.plannedAt ? new Date(input.plannedAt) : null,
          evidence: evidence(ctx, input.kind, input.plannedAt, { seatId: seat.id, kind: 'post_accept_message' }),
        },
      }),
    );
    await markCalling(ctx.client.id, touch.id);
    try {
      const sent = await providers.linkedin.sendMessage({
        accountId: seat.accountRef,
        attendeeProviderId: inv.providerId,
        text: linkedinMessage(ctx.msg).text,
      });
      await db.system.linkedInInvitation.update({ where: { id: inv.id }, data: { messagedAt: new Date() } });
      await recordSent(ctx.client.id, touch.id, 'unipile', sent.messageId, { chatId: sent.chatId }, input.nowMs);
      return { status: 'sent', outcome: sent.messageId };
    } catch (err) {
      const f = providerFailureOrRethrow(err);
      await recordFailed(ctx.client.id, touch.id, f.reason);
      return f;
    }
  }

  function providerFailureOrRethrow(err: unknown) {
    return providerFailure(err);
  }

  return {
    async prepareLeadSequence(input: { version: 1; clientId: string; leadId: string; workflowId: string; nowMs?: number }) {
      const now = input.nowMs ?? Date.now();
      return db.asTenant(input.clientId, async (tx) => {
        const ctx = await context(tx, input.clientId, input.leadId);
        const facts = await leadFacts(ctx, now);
        const sup = await suppressed(ctx.lead.email, ctx.lead.phoneE164);
        if (sup.email && sup.phone) facts.optedOut = true;
        const seq = generateSequence(facts, ctx.config);
        const steps = seq.steps.map((s) => {
          let status = s.status as 'planned' | 'skipped';
          let skipReason: string | undefined = s.skipReason;
          // A wash that is missing now may exist by the step's day: the check before the step
          // washes again and fails closed then (SM-001), so the step stays planned.
          if (skipReason === 'dncr_unwashed' || skipReason === 'dncr_unavailable') [status, skipReason] = ['planned', undefined];
          if (status === 'planned' && sup.email && s.channel === 'email') [status, skipReason] = ['skipped', 'suppressed'];
          if (status === 'planned' && sup.phone && (s.channel === 'sms' || s.channel === 'voice'))
            [status, skipReason] = ['skipped', 'suppressed'];
          return {
            step: s.step,
            day: s.day,
            kind: s.kind as StepKindName,
            channel: s.channel,
            status,
            ...(skipReason ? { skipReason } : {}),
          };
        });
        const stopReason = ctx.lead.optedOutAt
          ? ('opted_out' as const)
          : ctx.lead.repliedAt
            ? ('replied' as const)
            : ctx.lead.meetingBookedAt
              ? ('meeting_booked' as const)
              : undefined;
        await tx.lead.update({
          where: { id: ctx.lead.id },
          data: {
            status: 'in_sequence',
            sequenceWorkflowId: input.workflowId,
            sequenceStartedAt: ctx.lead.sequenceStartedAt ?? new Date(now),
          },
        });
        const li = ctx.config.linkedin;
        return {
          tier: seq.tier,
          zone: ctx.zone,
          steps,
          stopReason,
          linkedin: {
            ignoreAfterMs: li.ignoredAfterDays * DAY_MS,
            withdrawAfterMs: li.withdrawAfterDays * DAY_MS,
            messageAfterMs: li.messageAfterAcceptDays * DAY_MS,
          },
        };
      });
    },

    /** The next open window at or after `earliestMs` in the recipient's zone (the seat's for LinkedIn). */
    async nextStepTime(input: {
      version: 1;
      clientId: string;
      leadId: string;
      kind: Kind;
      earliestMs: number;
      seed: string;
    }): Promise<{ atMs: number }> {
      return db.asTenant(input.clientId, async (tx) => {
        const ctx = await context(tx, input.clientId, input.leadId);
        if (input.kind === 'linkedin_connect' || input.kind === 'linkedin_message') {
          const seatIds = await openAllocations(input.clientId, 'linkedin_seat');
          const seat = seatIds.length
            ? await db.system.linkedInSeat.findFirst({ where: { id: { in: seatIds } }, orderBy: { id: 'asc' } })
            : null;
          const zone = seat?.timezone ?? ctx.zone;
          const recent = seat
            ? await db.system.linkedInInvitation.findMany({
                where: { seatId: seat.id, sentAt: { gte: new Date(input.earliestMs - 3_600_000) } },
                select: { sentAt: true },
              })
            : [];
          return {
            atMs: nextSendTimeMs({
              channel: 'linkedin',
              zone,
              now: input.earliestMs,
              seed: input.seed,
              config: ctx.config,
              recentActions: recent.map((r) => r.sentAt),
            }),
          };
        }
        const channel = CHANNEL_OF_KIND[input.kind as StepKind];
        return {
          atMs: nextSendTimeMs({
            channel,
            zone: ctx.zone,
            location: ctx.location,
            now: input.earliestMs,
            seed: input.seed,
            config: ctx.config,
          }),
        };
      });
    },

    /** Re-checks a step just before it runs: stop conditions, suppression, tier gating, DNCR (fail closed). */
    async precheckStep(input: {
      version: 1;
      clientId: string;
      leadId: string;
      kind: Kind;
      nowMs?: number;
    }): Promise<
      | { action: 'send' }
      | { action: 'skip'; reason: string }
      | { action: 'stop'; reason: 'replied' | 'opted_out' | 'meeting_booked' }
      | { action: 'reschedule'; notBeforeMs: number }
    > {
      const now = input.nowMs ?? Date.now();
      const ctx = await db.asTenant(input.clientId, (tx) => context(tx, input.clientId, input.leadId));
      const { lead } = ctx;
      if (lead.optedOutAt) return { action: 'stop', reason: 'opted_out' };
      if (lead.repliedAt) return { action: 'stop', reason: 'replied' };
      if (lead.meetingBookedAt) return { action: 'stop', reason: 'meeting_booked' };
      if (input.kind === 'linkedin_message') return { action: 'send' };
      const sup = await suppressed(lead.email, lead.phoneE164);
      const channel = CHANNEL_OF_KIND[input.kind as StepKind];
      if (channel === 'email' && sup.email) return { action: 'skip', reason: 'suppressed' };
      if ((channel === 'sms' || channel === 'voice') && sup.phone) return { action: 'skip', reason: 'suppressed' };
      const facts = await leadFacts(ctx, now);
      // SM-001: a call or SMS needs a fresh wash; re-wash now when it is stale, and fail closed.
      if ((channel === 'sms' || channel === 'voice') && lead.phoneE164 && dncrApplies(lead.phoneE164, channel, ctx.config)) {
        const decision = dncrDecision(facts.dncr ?? {}, now, ctx.config);
        if (!decision.allowed && (decision.reason === 'not_washed' || decision.reason === 'wash_stale')) {
          try {
            const result = (await providers.dncr.wash([lead.phoneE164], `lead-${lead.id}-${now}`)).get(lead.phoneE164);
            if (result) {
              await db.system.lead.update({ where: { id: lead.id }, data: { dncrResult: result, dncrWashedAt: new Date(now) } });
              facts.dncr = { registered: result === 'registered', washedAt: now, registerAvailable: true };
            } else facts.dncr = { registered: null, washedAt: null, registerAvailable: false };
          } catch {
            facts.dncr = { registered: null, washedAt: null, registerAvailable: false };
          }
        }
      }
      const r = recheckStep({ kind: input.kind as StepKind }, facts, ctx.config);
      return r.proceed ? { action: 'send' } : { action: 'skip', reason: r.skipReason };
    },

    async sendStep(input: SendStepInput): Promise<SendResult> {
      const found = await existingTouch(input.clientId, input.idempotencyKey);
      if (found && 'done' in found) return found.done;
      // Never outside a window (ED-003, VO-005): if the instant has left the window, plan again.
      const nowMs = input.nowMs ?? Date.now();
      const ctx = await db.asTenant(input.clientId, (tx) => context(tx, input.clientId, input.leadId));
      const linkedin = input.kind === 'linkedin_connect' || input.kind === 'linkedin_message';
      if (!linkedin) {
        const channel = CHANNEL_OF_KIND[input.kind as StepKind];
        if (!isInsideWindow({ channel, zone: ctx.zone, location: ctx.location, at: nowMs, config: ctx.config })) {
          return {
            status: 'retry_later',
            notBeforeMs: nextSendTimeMs({
              channel,
              zone: ctx.zone,
              location: ctx.location,
              now: nowMs,
              seed: input.idempotencyKey,
              config: ctx.config,
            }),
            reason: 'outside_window',
          };
        }
      }
      if (found) {
        // A touch row from an attempt that never reached the provider: remove it and reserve again
        // (its earlier cap unit stays counted: conservative, never over a cap).
        await db.asTenant(input.clientId, (tx) => tx.touch.delete({ where: { id: found.touchId } }));
      }
      try {
        switch (input.kind) {
          case 'email':
          case 'email_followup':
            return await sendEmail(input, ctx);
          case 'sms':
            return await sendSms(input, ctx);
          case 'voice':
            return await placeCall(input, ctx);
          case 'linkedin_connect':
            return await linkedinConnect(input, ctx);
          case 'linkedin_message':
            return await linkedinSendMessage(input, ctx);
        }
      } catch (err) {
        if (err instanceof PrismaNs.PrismaClientKnownRequestError && err.code === 'P2002') {
          const again = await existingTouch(input.clientId, input.idempotencyKey);
          if (again && 'done' in again) return again.done;
        }
        throw err;
      }
    },

    /** The provider's own record of a call, when its end-of-call webhook did not arrive. */
    async fetchCallReport(input: { version: 1; callId: string }): Promise<CallEnded> {
      const r = await providers.voice.getCall(input.callId);
      if (r.outcome === 'in_progress') throw new Error(`call ${input.callId} still in progress`); // retried by Temporal
      const report = r as CallReport;
      return {
        eventId: `poll:${report.callId}`,
        at: new Date().toISOString(),
        callId: report.callId,
        outcome: report.outcome,
        endedReason: report.endedReason,
        providerCallSid: report.providerCallSid,
        durationSeconds: report.durationSeconds,
        summary: report.summary,
        transcript: report.transcript,
        recordingUrl: report.recordingUrl,
      };
    },

    /** VO-002..VO-006: records the call's outcome and recording reference, and decides about a retry. */
    async recordCallOutcome(input: {
      version: 1;
      clientId: string;
      leadId: string;
      idempotencyKey: string;
      attemptsSoFar: number;
      report: CallEnded;
    }): Promise<{ retry: false } | { retry: true; notBeforeMs: number }> {
      const ctx = await db.asTenant(input.clientId, (tx) => context(tx, input.clientId, input.leadId));
      let recording: { recordingSid: string; url: string; durationSeconds: number } | undefined;
      if (input.report.providerCallSid) {
        recording = (await providers.recordings.recordingsForCall(input.report.providerCallSid))[0];
      }
      await db.asTenant(input.clientId, async (tx) => {
        const t = await tx.touch.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
        if (!t) return;
        await tx.touch.update({
          where: { id: t.id },
          data: {
            status: input.report.outcome === 'failed' ? 'failed' : 'delivered',
            outcome: {
              ...((t.outcome as object) ?? {}),
              phase: 'done',
              call: { ...input.report, transcript: undefined },
              transcript: input.report.transcript ?? null,
              recording: recording ?? (input.report.recordingUrl ? { url: input.report.recordingUrl } : null),
            } as object,
          },
        });
      });
      const d = voiceRetryDecision(input.report.outcome, input.attemptsSoFar, input.report.at, ctx.zone, ctx.location, ctx.config);
      return d.retry ? { retry: true, notBeforeMs: d.notBefore.getTime() } : { retry: false };
    },

    async setLinkedInState(input: {
      version: 1;
      clientId: string;
      leadId: string;
      state: 'accepted' | 'ignored' | 'withdrawn';
      at?: string;
    }) {
      await db.system.linkedInInvitation.updateMany({
        where: { leadId: input.leadId },
        data: { state: input.state, ...(input.state === 'accepted' ? { acceptedAt: input.at ? new Date(input.at) : new Date() } : {}) },
      });
    },

    async finishLeadSequence(input: { version: 1; clientId: string; leadId: string; state: string; stopReason?: string }) {
      const status =
        input.stopReason === 'replied'
          ? 'replied'
          : input.stopReason === 'opted_out'
            ? 'opted_out'
            : input.stopReason === 'meeting_booked'
              ? 'meeting_booked'
              : 'completed';
      await db.asTenant(input.clientId, (tx) => tx.lead.update({ where: { id: input.leadId }, data: { status } }));
    },
  };
}

class CapRollback extends Error {}

export interface SendStepInput {
  version: 1;
  clientId: string;
  leadId: string;
  campaignId: string;
  step: number;
  kind: Kind;
  idempotencyKey: string;
  plannedAt?: string;
  /** The workflow's clock when it scheduled the send: the instant every decision is made for. */
  nowMs?: number;
}
