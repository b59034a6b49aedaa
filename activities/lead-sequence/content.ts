/**
 * The texts of a lead's touches and answers come from the content engine (SYS-003, ED-005): the
 * templates by default, an LLM when configured, every text checked before it goes
 * (services/content.ts). The facts an engine may use are these and no others.
 */
import type { ContentFacts } from '../../providers/ports/content.js';
import type { ContentResult } from '../../services/content.js';
import type { LeadContext } from '../../services/leads/sequence.js';
import type { ContentRequest } from '../../providers/ports/content.js';

/** The checked content engine (services/content.ts createContent). */
export interface ContentWriter {
  compose(req: ContentRequest): Promise<ContentResult>;
}

/** What an engine may say about the lead and the client; the booking link is the lead's own (bookingLinkForLead). */
export function factsOf(ctx: LeadContext, o: { withBookingLink?: boolean } = {}): ContentFacts {
  const { lead } = ctx;
  return {
    lead: { firstName: lead.firstName, lastName: lead.lastName, company: lead.company, title: lead.title },
    client: {
      name: ctx.client.name,
      senderName: ctx.msg.senderName ?? null,
      pitch: ctx.msg.pitch ?? null,
      bookingLink: o.withBookingLink === false ? null : (ctx.msg.bookingLink ?? null),
      knowledgeBase: null,
    },
  };
}

/** What the touch's evidence keeps of how its text was written. */
export const writtenBy = (r: Extract<ContentResult, { status: 'ok' }>) => ({
  writtenBy: r.engine,
  ...(r.notes.length ? { contentNotes: r.notes.slice(0, 5) } : {}),
});
