/**
 * What providers report about touches after the send (system path: a webhook does not know its
 * tenant until the touch is found): email bounces and complaints by Message-ID, SMS delivery by
 * message SID, a call's end by call id; and the per-domain email figures of the health monitor.
 */
import type { Db } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { CallEnded } from '../../domain/processes.js';

/** Message-IDs as stored on touches (`<local@domain>`), with and without angle brackets. */
export function messageIdForms(ids: (string | undefined | null)[]): string[] {
  const out = new Set<string>();
  for (const raw of ids) {
    const v = raw?.trim().replace(/^<|>$/g, '');
    if (!v) continue;
    out.add(`<${v}>`);
    out.add(v);
  }
  return [...out];
}

type Outcome = Record<string, unknown>;
const outcomeOf = (o: unknown): Outcome => (o as Outcome | null) ?? {};

export interface SmsDeliveryReport {
  state: 'pending' | 'delivered' | 'failed';
  status: string;
  errorCode?: string;
  at: string;
  eventId: string;
}

export function createTouchReports(db: Db) {
  return {
    system: {
      /** Adds `patch` to the outcome of our emails with this Message-ID; `fail` also marks them failed (hard bounce). */
      async annotateEmails(messageId: string, patch: Outcome, fail = false): Promise<void> {
        const touches = await db.system.touch.findMany({
          where: { providerRef: { in: messageIdForms([messageId]) }, channel: 'email' },
          select: { id: true, outcome: true },
        });
        for (const t of touches) {
          await db.system.touch.update({
            where: { id: t.id },
            data: {
              ...(fail ? { status: 'failed' as const } : {}),
              outcome: { ...outcomeOf(t.outcome), ...patch } as Prisma.InputJsonValue,
            },
          });
        }
      },

      /**
       * An SMS delivery report: the touch with that SID gets `outcome.delivery`, and its status once
       * the state is final. A late non-final status never overwrites a final one. False: no such touch.
       */
      async smsDelivery(messageSid: string, report: SmsDeliveryReport): Promise<boolean> {
        const touch = await db.system.touch.findFirst({ where: { providerRef: messageSid, channel: 'sms' } });
        if (!touch) return false;
        const outcome = outcomeOf(touch.outcome);
        const prev = outcome.delivery as { state?: string } | undefined;
        if (report.state === 'pending' && (prev?.state === 'delivered' || prev?.state === 'failed')) return true;
        const delivery = {
          state: report.state,
          status: report.status,
          at: report.at,
          eventId: report.eventId,
          ...(report.errorCode ? { errorCode: report.errorCode } : {}),
        };
        await db.system.touch.update({
          where: { id: touch.id },
          data: {
            ...(report.state !== 'pending' ? { status: report.state } : {}),
            outcome: { ...outcome, delivery } as Prisma.InputJsonValue,
          },
        });
        return true;
      },

      /** Keeps a call's end on its touch when no workflow is running to record it (never over a recorded one). */
      async keepCallReport(leadId: string, report: CallEnded): Promise<void> {
        const touch = await db.system.touch.findFirst({ where: { leadId, channel: 'voice', providerRef: report.callId } });
        const outcome = outcomeOf(touch?.outcome);
        if (!touch || outcome.call) return;
        await db.system.touch.update({
          where: { id: touch.id },
          data: {
            status: report.outcome === 'failed' ? 'failed' : 'delivered',
            outcome: {
              ...outcome,
              phase: 'done',
              call: { ...report, transcript: undefined },
              transcript: report.transcript ?? null,
            } as Prisma.InputJsonValue,
          },
        });
      },

      /** The lead of our latest email with one of these Message-IDs. */
      async leadOfEmail(ids: (string | undefined | null)[]): Promise<string | null> {
        const forms = messageIdForms(ids);
        if (!forms.length) return null;
        const touch = await db.system.touch.findFirst({
          where: { providerRef: { in: forms }, channel: 'email' },
          orderBy: { createdAt: 'desc' },
          select: { leadId: true },
        });
        return touch?.leadId ?? null;
      },

      /**
       * The touch a lead's message answers (SYS-003): for an email, ours among its thread's
       * Message-IDs; otherwise (or when the thread names none) the lead's latest touch that went out
       * on that channel before the message.
       */
      async answeredTouch(
        leadId: string,
        channel: string,
        at: Date,
        threadIds: (string | undefined | null)[] = [],
      ): Promise<string | null> {
        const forms = messageIdForms(threadIds);
        if (channel === 'email' && forms.length) {
          const byThread = await db.system.touch.findFirst({
            where: { leadId, channel: 'email', providerRef: { in: forms } },
            orderBy: { createdAt: 'desc' },
            select: { id: true },
          });
          if (byThread) return byThread.id;
        }
        const latest = await db.system.touch.findFirst({
          where: { leadId, channel: channel as never, status: { in: ['sent', 'delivered'] }, sentAt: { lte: at } },
          orderBy: { sentAt: 'desc' },
          select: { id: true },
        });
        return latest?.id ?? null;
      },

      /** The lead of the call with this provider call id. */
      async leadOfCall(callId: string): Promise<string | null> {
        const touch = await db.system.touch.findFirst({ where: { providerRef: callId, channel: 'voice' }, select: { leadId: true } });
        return touch?.leadId ?? null;
      },

      /** Emails sent in (from, to] per sending domain, with how many bounced and drew a complaint (RP-009, ED-004). */
      async emailFiguresByDomain(from: Date, to: Date): Promise<Map<string, { sent: number; bounced: number; complaints: number }>> {
        const counts = await db.system.$queryRaw<{ domain_id: string; sent: bigint; bounced: bigint; complaints: bigint }[]>`
          SELECT m.domain_id::text AS domain_id,
                 count(*) AS sent,
                 count(*) FILTER (WHERE t.outcome ? 'bounce') AS bounced,
                 count(*) FILTER (WHERE t.outcome ? 'complaint') AS complaints
            FROM touches t
            JOIN mailboxes m ON m.id::text = t.evidence->>'mailboxId'
           WHERE t.channel = 'email' AND t.sent_at IS NOT NULL AND t.sent_at > ${from} AND t.sent_at <= ${to}
           GROUP BY m.domain_id`;
        return new Map(
          counts.map((c) => [c.domain_id, { sent: Number(c.sent), bounced: Number(c.bounced), complaints: Number(c.complaints) }]),
        );
      },
    },
  };
}
