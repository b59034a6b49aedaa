/**
 * Conversations (SYS-003, ED-005, SM-003): a lead's conversation across its channels, and every
 * message of it, inbound and outbound, kept once per (provider, provider message id).
 *
 * System path (`system`): the webhooks and the conversation workflow write here; a webhook does
 * not know its tenant until the lead is found. Tenant path (`forTenant`): the inbox reads under
 * row-level security and marks a conversation handled.
 */
import type { Db } from '../db/client.js';
import { isUniqueViolation } from '../db/client.js';
import type { ChannelName, InboundMessage } from '../domain/processes.js';
import { storableText } from '../domain/storable.js';

export type ConversationState = 'open' | 'answering' | 'answered' | 'needs_human' | 'booked' | 'closed';
export type MessageKind = 'reply' | 'auto_reply' | 'bounce' | 'answer' | 'manual';
export type OutboundStatus = 'scheduled' | 'sending' | 'sent' | 'failed' | 'skipped';

/** Longest text kept of a message (a reply with a whole thread quoted under it is cut). */
const MAX_TEXT = 20_000;
const text = (t: string) => storableText(t).slice(0, MAX_TEXT);

export interface MessageView {
  id: string;
  conversationId: string;
  leadId: string;
  direction: 'inbound' | 'outbound';
  channel: ChannelName;
  kind: MessageKind;
  provider: string;
  providerMessageId: string;
  subject: string | null;
  text: string;
  intent: string | null;
  confidence: number | null;
  status: string;
  reason: string | null;
  /** The touch of ours an inbound message answers, when known. */
  touchId: string | null;
  at: Date;
  meta: Record<string, unknown>;
}

/**
 * The provider of every message we send from a conversation: its key is unique whoever wrote the
 * text (an engine on one attempt, another on a retry), so a retry finds what the first attempt kept.
 */
export const OUTBOUND_PROVIDER = 'agency_os';

export interface OutboundDraft {
  clientId: string;
  leadId: string;
  channel: ChannelName;
  kind: 'answer' | 'manual';
  /** Our key for it (e.g. `answer:{inboundMessageId}`): the same key is the same message. */
  key: string;
  /** Who wrote it: the engine ('template', 'llm'), the checks that refused every text ('content'), or a person ('manual'). */
  writtenBy: string;
  text: string;
  subject?: string | null;
  at: Date;
  meta?: Record<string, unknown>;
}

/** A row as Prisma returns it (its enums and JSON as plain values). */
type MessageRow = Omit<MessageView, 'direction' | 'channel' | 'kind' | 'meta'> & {
  direction: string;
  channel: string;
  kind: string;
  meta: unknown;
};

const view = (m: MessageRow): MessageView => ({
  ...m,
  direction: m.direction as MessageView['direction'],
  channel: m.channel as ChannelName,
  kind: m.kind as MessageKind,
  meta: (m.meta ?? {}) as Record<string, unknown>,
});

export function createConversations(db: Db) {
  /** The lead's conversation, made on its first message (one per lead). */
  async function conversationOf(lead: { id: string; clientId: string; campaignId: string }): Promise<string> {
    const found = await db.system.conversation.findUnique({ where: { leadId: lead.id }, select: { id: true } });
    if (found) return found.id;
    try {
      const made = await db.system.conversation.create({
        data: { clientId: lead.clientId, campaignId: lead.campaignId, leadId: lead.id },
        select: { id: true },
      });
      return made.id;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return (await db.system.conversation.findUniqueOrThrow({ where: { leadId: lead.id }, select: { id: true } })).id;
    }
  }

  const system = {
    /**
     * Keeps an inbound message (once per provider id: a redelivery returns the first row, with
     * `duplicate`), on the lead's conversation, which it moves to the top of the inbox.
     */
    async recordInbound(
      lead: { id: string; clientId: string; campaignId: string },
      m: InboundMessage,
      extra: { kind: MessageKind; intent?: string; confidence?: number; touchId?: string | null; meta?: Record<string, unknown> },
    ): Promise<{ message: MessageView; duplicate: boolean }> {
      const conversationId = await conversationOf(lead);
      const at = new Date(m.at);
      const when = Number.isNaN(at.getTime()) ? new Date() : at;
      const key = { provider: m.provider, providerMessageId: storableText(m.providerMessageId).slice(0, 998) };
      const existing = await db.system.message.findUnique({ where: { provider_providerMessageId: key } });
      if (existing) return { message: view(existing), duplicate: true };
      try {
        const made = await db.system.message.create({
          data: {
            clientId: lead.clientId,
            conversationId,
            leadId: lead.id,
            direction: 'inbound',
            channel: m.channel,
            kind: extra.kind,
            ...key,
            touchId: extra.touchId ?? null,
            subject: m.subject ? text(m.subject).slice(0, 998) : null,
            text: text(m.text),
            intent: extra.intent ?? null,
            confidence: extra.confidence ?? null,
            status: 'received',
            at: when,
            meta: {
              eventId: m.eventId,
              ...(m.threadIds?.length ? { threadIds: m.threadIds } : {}),
              ...(m.to ? { to: m.to } : {}),
              ...extra.meta,
            },
          },
        });
        await db.system.conversation.update({
          where: { id: conversationId },
          data: { lastMessageAt: when, lastChannel: m.channel, handledAt: null, ...(extra.intent ? { lastIntent: extra.intent } : {}) },
        });
        return { message: view(made), duplicate: false };
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        return {
          message: view(await db.system.message.findUniqueOrThrow({ where: { provider_providerMessageId: key } })),
          duplicate: true,
        };
      }
    },

    async message(id: string): Promise<MessageView | null> {
      const m = await db.system.message.findUnique({ where: { id } });
      return m ? view(m) : null;
    },

    /** The newest inbound message of the lead's conversation. */
    async lastInbound(leadId: string): Promise<MessageView | null> {
      const m = await db.system.message.findFirst({
        where: { leadId, direction: 'inbound' },
        orderBy: [{ at: 'desc' }, { createdAt: 'desc' }],
      });
      return m ? view(m) : null;
    },

    /** The conversation so far, oldest first (at most the last `limit` messages). */
    async thread(leadId: string, limit = 20): Promise<MessageView[]> {
      const rows = await db.system.message.findMany({ where: { leadId }, orderBy: [{ at: 'desc' }, { createdAt: 'desc' }], take: limit });
      return rows.reverse().map(view);
    },

    async setIntent(messageId: string, intent: string, confidence: number | null, meta?: Record<string, unknown>): Promise<void> {
      const m = await db.system.message.update({
        where: { id: messageId },
        data: { intent, confidence, ...(meta ? { meta: meta as object } : {}) },
        select: { conversationId: true },
      });
      await db.system.conversation.update({ where: { id: m.conversationId }, data: { lastIntent: intent } });
    },

    async setState(leadId: string, state: ConversationState): Promise<void> {
      await db.system.conversation.updateMany({ where: { leadId }, data: { state } });
    },

    /** Our outbound message of this key (whoever wrote it), or null. */
    async outboundByKey(key: string): Promise<MessageView | null> {
      const m = await db.system.message.findUnique({
        where: { provider_providerMessageId: { provider: OUTBOUND_PROVIDER, providerMessageId: key } },
      });
      return m ? view(m) : null;
    },

    /**
     * An outbound message by its key: made 'scheduled' the first time, returned as it is after
     * (a retried activity sees what the first attempt did).
     */
    async outbound(d: OutboundDraft): Promise<MessageView> {
      const existing = await system.outboundByKey(d.key);
      if (existing) return existing;
      const key = { provider: OUTBOUND_PROVIDER, providerMessageId: d.key };
      const conversationId = await conversationOf({ id: d.leadId, clientId: d.clientId, campaignId: await campaignOf(d.leadId) });
      try {
        return view(
          await db.system.message.create({
            data: {
              clientId: d.clientId,
              conversationId,
              leadId: d.leadId,
              direction: 'outbound',
              channel: d.channel,
              kind: d.kind,
              ...key,
              subject: d.subject ?? null,
              text: text(d.text),
              status: 'scheduled',
              at: d.at,
              meta: { ...d.meta, writtenBy: d.writtenBy } as object,
            },
          }),
        );
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        return view(await db.system.message.findUniqueOrThrow({ where: { provider_providerMessageId: key } }));
      }
    },

    /** Moves an outbound message on (sending before the provider call, then sent, failed or skipped). */
    async markOutbound(
      id: string,
      status: OutboundStatus,
      o: { reason?: string; at?: Date; meta?: Record<string, unknown> } = {},
    ): Promise<void> {
      const m = await db.system.message.update({
        where: { id },
        data: {
          status,
          ...(o.reason !== undefined ? { reason: o.reason.slice(0, 1000) } : {}),
          ...(o.at ? { at: o.at } : {}),
          ...(o.meta ? { meta: o.meta as object } : {}),
        },
        select: { conversationId: true, channel: true, at: true },
      });
      if (status === 'sent')
        await db.system.conversation.update({ where: { id: m.conversationId }, data: { lastMessageAt: m.at, state: 'answered' } });
    },
  };

  async function campaignOf(leadId: string): Promise<string> {
    return (await db.system.lead.findUniqueOrThrow({ where: { id: leadId }, select: { campaignId: true } })).campaignId;
  }

  return { system, forTenant: (clientId: string) => createInbox(db, clientId) };
}

/** The inbox of one client (row-level security on). */
function createInbox(db: Db, clientId: string) {
  return {
    /** Conversations, newest message first, with their last message; filtered by intent and state. */
    async list(o: { intent?: string; state?: string; handled?: boolean; limit: number; before?: Date }) {
      return db.asTenant(clientId, async (tx) => {
        const rows = await tx.conversation.findMany({
          where: {
            ...(o.intent ? { lastIntent: o.intent } : {}),
            ...(o.state ? { state: o.state } : {}),
            ...(o.handled === undefined ? {} : { handledAt: o.handled ? { not: null } : null }),
            ...(o.before ? { lastMessageAt: { lt: o.before } } : {}),
          },
          orderBy: [{ lastMessageAt: 'desc' }, { id: 'asc' }],
          take: o.limit,
          include: {
            lead: { select: { id: true, firstName: true, lastName: true, email: true, company: true } },
            messages: { orderBy: [{ at: 'desc' }, { createdAt: 'desc' }], take: 1 },
          },
        });
        return rows.map(({ messages, ...c }) => ({ ...c, lastMessage: messages[0] ? view(messages[0]) : null }));
      });
    },

    async get(conversationId: string) {
      return db.asTenant(clientId, (tx) => tx.conversation.findUnique({ where: { id: conversationId } }));
    },

    /** A conversation's messages, oldest first. */
    async messages(conversationId: string, limit = 200) {
      return db.asTenant(clientId, async (tx) =>
        (await tx.message.findMany({ where: { conversationId }, orderBy: [{ at: 'asc' }, { createdAt: 'asc' }], take: limit })).map(view),
      );
    },

    /** A person handled it (true), or it goes back to the inbox (false); null when not this client's. */
    async markHandled(conversationId: string, handled: boolean, at: Date) {
      return db.asTenant(clientId, async (tx) => {
        const r = await tx.conversation.updateMany({ where: { id: conversationId }, data: { handledAt: handled ? at : null } });
        return r.count ? tx.conversation.findUnique({ where: { id: conversationId } }) : null;
      });
    },
  };
}

export type Conversations = ReturnType<typeof createConversations>;
