/**
 * The inbox (SYS-003, ED-005, SM-003): a client's conversations with their last message, intent
 * and state (filter by intent and state; mark handled), a conversation's messages, an answer by
 * hand and a corrected intent. The last two signal the lead's conversation workflow, which sends
 * and records them (202: accepted; the message appears in the conversation once handled).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { REPLY_INTENTS } from '../../domain/reply-intent.js';
import { validateSms } from '../../domain/sms.js';
import {
  conversationProgressQuery,
  manualReplySignal,
  reclassifySignal,
  WORKFLOW_TYPES,
  workflowIds,
  type ConversationInput,
} from '../../workflows/contracts.js';
import { requireClientId } from '../plugins/auth.js';
import { ErrorBody, IdParams } from '../schemas.js';
import { HttpError, notFound } from '../errors.js';
import type { AppDeps } from '../deps.js';

const STATES = ['open', 'answering', 'answered', 'needs_human', 'booked', 'closed'] as const;
const CHANNELS = ['email', 'sms', 'linkedin'] as const;

const MessageOut = z.object({
  id: z.string(),
  direction: z.string(),
  channel: z.string(),
  kind: z.string(),
  provider: z.string(),
  subject: z.string().nullable(),
  text: z.string(),
  intent: z.string().nullable(),
  confidence: z.number().nullable(),
  status: z.string(),
  reason: z.string().nullable(),
  /** The touch of ours an inbound message answers, when known. */
  touchId: z.string().nullable(),
  at: z.string(),
});
const ConversationOut = z.object({
  id: z.string(),
  leadId: z.string(),
  campaignId: z.string(),
  state: z.string(),
  lastIntent: z.string().nullable(),
  lastChannel: z.string().nullable(),
  lastMessageAt: z.string().nullable(),
  handledAt: z.string().nullable(),
});

type MessageRow = {
  id: string;
  direction: string;
  channel: string;
  kind: string;
  provider: string;
  subject: string | null;
  text: string;
} & {
  intent: string | null;
  confidence: number | null;
  status: string;
  reason: string | null;
  touchId: string | null;
  at: Date;
};
const messageOut = (m: MessageRow) => ({
  id: m.id,
  direction: m.direction,
  channel: m.channel,
  kind: m.kind,
  provider: m.provider,
  subject: m.subject,
  text: m.text,
  intent: m.intent,
  confidence: m.confidence,
  status: m.status,
  reason: m.reason,
  touchId: m.touchId,
  at: m.at.toISOString(),
});
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const conversationOut = (c: {
  id: string;
  leadId: string;
  campaignId: string;
  state: string;
  lastIntent: string | null;
  lastChannel: string | null;
  lastMessageAt: Date | null;
  handledAt: Date | null;
}) => ({
  id: c.id,
  leadId: c.leadId,
  campaignId: c.campaignId,
  state: c.state,
  lastIntent: c.lastIntent,
  lastChannel: c.lastChannel,
  lastMessageAt: iso(c.lastMessageAt),
  handledAt: iso(c.handledAt),
});

export const conversationRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const { conversations, gateway } = deps.services;
  const tags = ['conversations'];

  app.get(
    '/v1/conversations',
    {
      schema: {
        tags,
        summary: 'The inbox: conversations, newest message first, with their last message',
        querystring: z.strictObject({
          intent: z.enum(REPLY_INTENTS).optional(),
          state: z.enum(STATES).optional(),
          handled: z.enum(['true', 'false']).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          before: z.iso.datetime({ offset: true }).optional(),
        }),
        response: {
          200: z.object({
            conversations: z.array(
              ConversationOut.extend({
                lead: z.object({
                  id: z.string(),
                  firstName: z.string().nullable(),
                  lastName: z.string().nullable(),
                  email: z.string().nullable(),
                  company: z.string().nullable(),
                }),
                lastMessage: MessageOut.nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await conversations.forTenant(requireClientId(req)).list({
        ...(q.intent ? { intent: q.intent } : {}),
        ...(q.state ? { state: q.state } : {}),
        ...(q.handled ? { handled: q.handled === 'true' } : {}),
        limit: q.limit,
        ...(q.before ? { before: new Date(q.before) } : {}),
      });
      return {
        conversations: rows.map((c) => ({
          ...conversationOut(c),
          lead: c.lead,
          lastMessage: c.lastMessage ? messageOut(c.lastMessage) : null,
        })),
      };
    },
  );

  app.get(
    '/v1/conversations/:id',
    {
      schema: {
        tags,
        summary: 'A conversation with its messages (oldest first) and what its workflow is doing',
        params: IdParams,
        response: { 200: ConversationOut.extend({ messages: z.array(MessageOut), workflow: z.unknown() }), 404: ErrorBody },
      },
    },
    async (req) => {
      const inbox = conversations.forTenant(requireClientId(req));
      const c = await inbox.get(req.params.id);
      if (!c) throw notFound('conversation');
      const messages = await inbox.messages(c.id);
      let workflow: unknown = null;
      try {
        workflow = await gateway.query(workflowIds.conversation(c.leadId), conversationProgressQuery, Date.now() + 2000);
      } catch {
        workflow = null; // not running (idle for 30 days, or never started): the messages are the record
      }
      return { ...conversationOut(c), messages: messages.map(messageOut), workflow };
    },
  );

  app.post(
    '/v1/conversations/:id/handled',
    {
      schema: {
        tags,
        summary: 'Mark a conversation handled by a person (or back to the inbox with handled: false)',
        params: IdParams,
        body: z.strictObject({ handled: z.boolean().default(true) }).optional(),
        response: { 200: ConversationOut, 404: ErrorBody },
      },
    },
    async (req) => {
      const c = await conversations.forTenant(requireClientId(req)).markHandled(req.params.id, req.body?.handled ?? true, new Date());
      if (!c) throw notFound('conversation');
      return conversationOut(c);
    },
  );

  /** The conversation's workflow gets the request (started with it if idle). */
  async function toWorkflow(clientId: string, conversationId: string, send: (input: ConversationInput) => Promise<void>) {
    const c = await conversations.forTenant(clientId).get(conversationId);
    if (!c) throw notFound('conversation');
    await send({ version: 1, clientId, leadId: c.leadId, campaignId: c.campaignId });
    return c;
  }

  app.post(
    '/v1/conversations/:id/reply',
    {
      schema: {
        tags,
        summary: 'Answer by hand: sent now on the given channel (else the lead’s last one), unless the person opted out',
        params: IdParams,
        body: z.strictObject({
          text: z.string().trim().min(1).max(5000),
          channel: z.enum(CHANNELS).optional(),
          subject: z.string().trim().min(1).max(300).optional(),
        }),
        response: { 202: z.object({ conversationId: z.string(), requestId: z.string() }), 404: ErrorBody, 422: ErrorBody },
      },
    },
    async (req, reply) => {
      const clientId = requireClientId(req);
      const { text, channel, subject } = req.body;
      if (channel === 'sms') {
        const check = validateSms(text);
        if (!check.ok) throw new HttpError(422, 'sms_invalid', check.issues.map((i) => i.message).join('; '));
      }
      const requestId = randomUUID();
      const c = await toWorkflow(clientId, req.params.id, (input) =>
        gateway.signalWithStart(WORKFLOW_TYPES.conversation, workflowIds.conversation(input.leadId), [input], manualReplySignal, {
          requestId,
          text,
          ...(channel ? { channel } : {}),
          ...(subject ? { subject } : {}),
          by: req.apiKey ? `api_key:${req.apiKey.prefix}` : 'api',
        }),
      );
      return reply.status(202).send({ conversationId: c.id, requestId });
    },
  );

  app.post(
    '/v1/conversations/:id/messages/:messageId/intent',
    {
      schema: {
        tags,
        summary: 'Correct the intent of a reply: the new intent’s action is applied (stop, hold, answer, alert)',
        params: IdParams.extend({ messageId: z.uuid() }),
        body: z.strictObject({ intent: z.enum(REPLY_INTENTS) }),
        response: { 202: z.object({ conversationId: z.string(), requestId: z.string() }), 404: ErrorBody },
      },
    },
    async (req, reply) => {
      const clientId = requireClientId(req);
      const messages = await conversations.forTenant(clientId).messages(req.params.id);
      if (!messages.some((m) => m.id === req.params.messageId && m.direction === 'inbound')) throw notFound('message');
      const requestId = randomUUID();
      const c = await toWorkflow(clientId, req.params.id, (input) =>
        gateway.signalWithStart(WORKFLOW_TYPES.conversation, workflowIds.conversation(input.leadId), [input], reclassifySignal, {
          requestId,
          messageId: req.params.messageId,
          intent: req.body.intent,
          by: req.apiKey ? `api_key:${req.apiKey.prefix}` : 'api',
        }),
      );
      return reply.status(202).send({ conversationId: c.id, requestId });
    },
  );
};
