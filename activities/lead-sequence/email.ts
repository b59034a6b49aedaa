/**
 * Email steps (ED-001..ED-006): a mailbox is picked by rotation (the thread's own for a
 * follow-up), one unit of its daily cap and one of the client's are reserved with the touch, and
 * the email goes out over the mailbox's SMTP account with a fixed Message-ID (a retry is
 * recognisable) and a one-click unsubscribe link.
 *
 * A mailbox the sender cannot send from (SMTP delivery and no SMTP credentials: the composition
 * root chose) is left out of the rotation, with an alert for the operator (SYS-009); when no
 * mailbox is left, or a follow-up's thread is on such a mailbox, the step is skipped with the
 * reason 'mailbox_without_smtp_credentials': no touch, nothing recorded as sent.
 */
import { createHmac } from 'node:crypto';
import { mailboxSendLimit } from '../../domain/warmup.js';
import { clientColdCap, pickMailbox, type RotationMailbox } from '../../domain/mailbox-rotation.js';
import { firstEmail } from '../../domain/message-templates.js';
import { factsOf, writtenBy } from './content.js';
import { followUpSubject } from '../../domain/sequence.js';
import { localDate, nextSendTimeMs, startOfNextLocalDay } from '../../domain/windows.js';
import { unsubscribeUrl } from '../../services/unsubscribe-links.js';
import { claimed, refused } from '../../services/touches/index.js';
import { MAILBOX_WITHOUT_SMTP_CREDENTIALS } from '../../providers/ports.js';
import { fullName, PERSON_TODAY, personDay, personNextDay, touchDraft } from './touch-draft.js';
import type { ChannelSender, LeadSequenceDeps } from './types.js';

export function createEmailSender({ services, providers, settings, content }: LeadSequenceDeps): ChannelSender {
  const { touches, allocations, alerts } = services;
  const { inventory } = services.pool;

  /** One open alert per mailbox while it cannot send (raising it again while open creates nothing). */
  async function alertWithoutCredentials(clientId: string, mailboxes: { id: string; email: string }[], nowMs: number) {
    for (const m of mailboxes) {
      await alerts.system.raise(
        {
          kind: MAILBOX_WITHOUT_SMTP_CREDENTIALS,
          severity: 'critical',
          dedupeKey: `mailbox:${m.id}:${MAILBOX_WITHOUT_SMTP_CREDENTIALS}`,
          clientId,
          message: `Mailbox ${m.email} has no SMTP credentials: its emails are not sent (email is delivered over SMTP). Give it its SMTP account or release it.`,
          data: { mailboxId: m.id, email: m.email },
        },
        new Date(nowMs),
      );
    }
  }

  return async function sendEmail(input, ctx, guard) {
    const { lead, client, config } = ctx;
    if (!lead.email) return { status: 'skipped', reason: 'no_email' };
    const now = input.nowMs ?? Date.now();
    const day = localDate(client.defaultTimezone, now);
    const mailboxIds = await allocations.system.heldBy(client.id, 'mailbox');
    if (!mailboxIds.length) return { status: 'skipped', reason: 'no_mailbox' };
    const held = await inventory.system.mailboxesWithDomains(mailboxIds);
    const mailboxes = held.filter((m) => providers.email.canSendFrom(m.smtp));
    const cannotSend = held.filter((m) => !providers.email.canSendFrom(m.smtp));
    if (cannotSend.length) await alertWithoutCredentials(client.id, cannotSend, now);
    const used = await touches.system.usage('mailbox', mailboxIds, day, 'cold_email');
    const clientUsed = (await touches.system.usage('mailbox', [client.id], day, 'client_cold_email')).get(client.id) ?? 0;
    // Each mailbox's limit today (ED-001): its row's ramp limit (written daily by warmup:{domainId}), capped by its domain's
    // health and the per-mailbox cap (domain/warmup.ts mailboxSendLimit); with none left the step waits for the next day.
    const rotation: RotationMailbox[] = mailboxes.map((m) => {
      const health = m.domain.healthClass as never;
      const paused = m.status === 'paused' || m.domain.status === 'paused';
      const limit = mailboxSendLimit({ dailyLimit: m.dailyLimit, heatScore: m.domain.heatScore, health, paused }, config);
      return { id: m.id, health, sentToday: used.get(m.id) ?? 0, coldLimit: limit.cold, paused };
    });

    // A follow-up goes in the first email's thread, from its mailbox.
    let thread: { mailboxId: string | null; messageId?: string; subject?: string } = { mailboxId: null };
    if (input.kind === 'email_followup') {
      const first = await touches.forTenant(client.id).firstSentEmail(lead.id, input.step);
      if (!first) return { status: 'skipped', reason: 'no_first_email' };
      const ev = first.evidence as { mailboxId?: string; subject?: string };
      thread = { mailboxId: ev.mailboxId ?? null, messageId: first.providerRef ?? undefined, subject: ev.subject };
      if (cannotSend.some((m) => m.id === thread.mailboxId)) return { status: 'skipped', reason: MAILBOX_WITHOUT_SMTP_CREDENTIALS };
    }
    if (!mailboxes.length) return { status: 'skipped', reason: MAILBOX_WITHOUT_SMTP_CREDENTIALS };
    const lastUsedId = await touches.system.lastUsed('mailbox', mailboxIds, 'cold_email');
    const pick = pickMailbox({ mailboxes: rotation, lastUsedId, threadMailboxId: thread.mailboxId, clientSentToday: clientUsed }, config);
    const person = personDay(ctx, localDate(ctx.zone, now));
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
    const written = await content.compose({
      purpose: input.kind === 'email' ? 'first_touch' : 'follow_up',
      channel: 'email',
      facts: factsOf(ctx),
    });
    if (written.status === 'skipped') return { status: 'skipped', reason: written.reason };
    const rendered = written.draft;
    const subject =
      input.kind === 'email'
        ? (rendered.subject ?? firstEmail(ctx.msg).subject!)
        : followUpSubject(thread.subject ?? firstEmail(ctx.msg).subject!);
    const clientCap = clientColdCap(config);

    // The person's one touch of the day, one unit of a mailbox's cap and one of the client's, with the touch, or nothing.
    const reserved = await touches.system.reserve(async (r) => {
      if (!(await r.takePersonDay(person.keys, person.day, lead.id, input.step))) return refused(PERSON_TODAY);
      let chosen: (typeof mailboxes)[number] | undefined;
      for (const id of order) {
        if (await r.takeDaily('mailbox', id, day, 'cold_email', rotation.find((m) => m.id === id)!.coldLimit)) {
          chosen = mailboxes.find((m) => m.id === id);
          break;
        }
      }
      if (!chosen || !(await r.takeDaily('mailbox', client.id, day, 'client_cold_email', clientCap))) return refused('mailbox_cap_reached');
      const messageId = `<${createHmac('sha256', 'mid').update(input.idempotencyKey).digest('hex').slice(0, 24)}.agencyos@${chosen.email.split('@')[1]!}>`;
      const evidence = { mailboxId: chosen.id, subject, day, threadOf: thread.messageId ?? null, ...writtenBy(written) };
      return claimed(touchDraft(ctx, input, 'email', guard, evidence, messageId), { mailbox: chosen, messageId });
    });
    if ('refused' in reserved) {
      if (reserved.refused === PERSON_TODAY) return personNextDay(ctx, now);
      return { status: 'no_capacity', notBeforeMs: nextDay(), reason: reserved.refused };
    }

    const { mailbox, messageId } = reserved.value;
    const unsubscribe = unsubscribeUrl(settings.publicBaseUrl, settings.unsubscribeSecret, lead.id);
    return touches.forTenant(client.id).deliver(reserved.touchId, async () => {
      const sent = await providers.email.send({
        smtp: mailbox.smtp,
        from: { address: mailbox.email, name: mailbox.senderName ?? ctx.settings.senderName ?? client.name },
        to: { address: lead.email!, name: fullName(lead) },
        subject,
        text: `${rendered.text}\n\nUnsubscribe: ${unsubscribe}`,
        messageId,
        inReplyTo: thread.messageId,
        references: thread.messageId ? [thread.messageId] : undefined,
        headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      });
      return {
        provider: 'smtp',
        providerRef: sent.messageId,
        record: { response: sent.response, mailboxId: mailbox.id },
        sentAtMs: now,
        outcome: sent.messageId,
      };
    });
  };
}
