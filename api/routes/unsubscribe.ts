/**
 * One-click unsubscribe (DOMAIN.md Email; RFC 8058 + RFC 2369). Every email carries
 * `List-Unsubscribe: <{publicBaseUrl}/u/{token}>` and `List-Unsubscribe-Post:
 * List-Unsubscribe=One-Click`; the token (services/unsubscribe-links.ts) is an
 * HMAC of the lead id, so the URL alone identifies the recipient.
 *
 *   GET  /u/:token  a small page that confirms, with a button (a GET never unsubscribes: link
 *                   scanners and previews follow links, RFC 8058 section 3.2)
 *   POST /u/:token  the mail client's one-click POST (body `List-Unsubscribe=One-Click`,
 *                   form-encoded) or the page's button (empty body): the lead opts out of every
 *                   channel at once, its email and phone are suppressed globally, and its
 *                   sequence is signalled. Idempotent: the signal's event id is
 *                   `unsubscribe:{leadId}`, so the workflow acts on it once.
 * An invalid token, or one for a lead that no longer exists, answers a 404 page.
 * No API key: the routes are public (`config.auth: 'none'`).
 */
import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../deps.js';
import { verifyUnsubscribeToken } from '../../services/unsubscribe-links.js';

const Params = z.object({ token: z.string() });

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#222}button{font-size:1rem;padding:.6rem 1.2rem;cursor:pointer}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}

function sendPage(reply: FastifyReply, status: number, html: string) {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex')
    .type('text/html; charset=utf-8')
    .send(html);
}

const NOT_FOUND = page(
  'Link not valid',
  '<p>This unsubscribe link is not valid. If you keep receiving messages, reply to one of them with "unsubscribe".</p>',
);

export const unsubscribeRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const events = deps.services.leadEvents.system;

  // Mail clients POST `List-Unsubscribe=One-Click` form-encoded (RFC 8058 also allows
  // multipart/form-data); the page's button posts an empty form. This scope reads any body as
  // text (the app's parsers stay as they are elsewhere): the token alone authorises the request.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => done(null, body));

  async function leadOf(token: string) {
    const leadId = verifyUnsubscribeToken(deps.config.unsubscribeSecret, token);
    if (!leadId) return null;
    return deps.services.leads.lookup.system.optOutState(leadId);
  }

  app.get(
    '/u/:token',
    {
      config: { auth: 'none' },
      schema: { tags: ['unsubscribe'], summary: 'Unsubscribe confirmation page (RFC 8058: a GET never unsubscribes)', params: Params },
    },
    async (req, reply) => {
      const lead = await leadOf(req.params.token);
      if (!lead) return sendPage(reply, 404, NOT_FOUND);
      if (lead.optedOutAt) return sendPage(reply, 200, page('You are unsubscribed', '<p>You will not be contacted again.</p>'));
      const action = `/u/${encodeURIComponent(req.params.token)}`;
      return sendPage(
        reply,
        200,
        page(
          'Unsubscribe',
          `<p>Press the button to stop every message to you from this sender: email, SMS, calls and LinkedIn.</p>
<form method="post" action="${escapeHtml(action)}"><button type="submit">Unsubscribe</button></form>`,
        ),
      );
    },
  );

  app.post(
    '/u/:token',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['unsubscribe'],
        summary: 'One-click unsubscribe (RFC 8058): opts the recipient out of every channel',
        params: Params,
      },
    },
    async (req, reply) => {
      const lead = await leadOf(req.params.token);
      if (!lead) return sendPage(reply, 404, NOT_FOUND);
      const body = typeof req.body === 'string' ? req.body : '';
      const oneClick = new URLSearchParams(body).get('List-Unsubscribe') === 'One-Click';
      await events.optOut(lead.id, {
        eventId: `unsubscribe:${lead.id}`,
        at: (lead.optedOutAt ?? new Date()).toISOString(),
        channel: 'email',
        reason: oneClick ? 'list_unsubscribe_one_click' : 'unsubscribe_page',
        source: 'unsubscribe_link',
      });
      return sendPage(reply, 200, page('You are unsubscribed', '<p>You will not be contacted again.</p>'));
    },
  );
};
