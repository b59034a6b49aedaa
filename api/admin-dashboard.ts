/**
 * The admin dashboard (RP-002, ED-004): GET /admin serves one self-contained page (inline CSS and
 * vanilla JS, nothing from a CDN) that asks for the admin API key, keeps it in sessionStorage,
 * and reads and acts through the admin API only: the pool buffer per resource type, seat links
 * waiting for an operator, domain health, numbers and seats, open alerts (acknowledge), running
 * the pool monitor now, and adding a domain with its mailboxes, a number or a LinkedIn seat.
 *
 * The page itself is public and holds no secret and no data. Every value from the API reaches
 * the DOM through textContent / createTextNode (never innerHTML), links only when http(s), and a
 * Content-Security-Policy with the hashes of the inline script and style forbids anything else.
 */
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from './deps.js';
import { STYLE } from './admin-dashboard/style.js';
import { SCRIPT } from './admin-dashboard/script.js';

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

export const ADMIN_DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Agency OS admin</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>Agency OS admin: resource pool</h1><span id="updated" class="muted"></span><button type="button" id="refresh">Refresh</button><button type="button" id="logout">Sign out</button></header>
<main>
<section id="login" hidden>
  <h2>Admin sign-in</h2>
  <form id="login-form" autocomplete="off">
    <div class="row"><label>Admin API key<input id="key" name="key" type="password" required autocomplete="off" size="40"></label><button class="primary" type="submit">Sign in</button></div>
    <p class="muted">The key stays in this browser tab (sessionStorage) and is sent only to this server's admin API.</p>
    <p id="login-error" class="level-critical"></p>
  </form>
</section>
<div id="app" hidden>
<p id="flash"></p>
<section>
  <div class="row"><h2 class="grow">Pool buffer</h2><button type="button" id="run-monitor" class="primary">Run pool monitor now</button></div>
  <table id="pool-table"><thead><tr><th>Type</th><th class="num">Ready, unallocated</th><th class="num">Allocated</th><th class="num">Pending</th><th class="num">Buffer</th><th></th><th>Level</th><th class="num">Shortfall</th></tr></thead><tbody id="pool-body"></tbody></table>
  <p id="pool-meta" class="muted"></p>
  <h2>LinkedIn seats waiting for an operator</h2>
  <ul id="seat-links"></ul>
</section>
<section>
  <h2>Open alerts</h2>
  <table id="alerts-table"><thead><tr><th>Severity</th><th>Kind</th><th>Message</th><th>Raised</th><th></th></tr></thead><tbody id="alerts-body"></tbody></table>
</section>
<section>
  <div class="row"><h2 class="grow">Domain health (30 days)</h2><label>Health<select id="domain-health"><option value="">all</option><option value="good">good</option><option value="warning">warning</option><option value="critical">critical</option></select></label></div>
  <table id="domains-table"><thead><tr><th>Domain</th><th>Status</th><th class="num">Heat</th><th>Health</th><th class="num">Bounce</th><th class="num">Complaints</th><th class="num">Sent (30 d)</th><th>Checked</th><th>Mailboxes</th><th>Allocated to</th></tr></thead><tbody id="domains-body"></tbody></table>
</section>
<div class="grid">
<section>
  <h2>Phone numbers</h2>
  <table id="numbers-table"><thead><tr><th>Number</th><th>Country</th><th>Status</th><th>Voice ref</th><th>Allocated to</th></tr></thead><tbody id="numbers-body"></tbody></table>
</section>
<section>
  <h2>LinkedIn seats</h2>
  <table id="seats-table"><thead><tr><th>Seat</th><th>Status</th><th>Health</th><th class="num">Accept rate</th><th>Time zone</th><th>Allocated to</th></tr></thead><tbody id="seats-body"></tbody></table>
</section>
</div>
<div class="grid">
<section>
  <h2>Add a domain</h2>
  <form id="add-domain" autocomplete="off">
    <div class="row"><label>Domain<input name="name" required placeholder="example.com"></label><label>Status<select name="status"><option value="warming">warming</option><option value="ready">ready</option></select></label><label>Heat score<input name="heatScore" type="number" min="0" max="100" size="4"></label></div>
    <div class="row"><label>Mailbox 1<input name="email1" type="email" placeholder="alex@example.com"></label><label>Sender name<input name="sender1"></label><label>SMTP password<input name="pass1" type="password" autocomplete="new-password"></label></div>
    <div class="row"><label>Mailbox 2<input name="email2" type="email" placeholder="sam@example.com"></label><label>Sender name<input name="sender2"></label><label>SMTP password<input name="pass2" type="password" autocomplete="new-password"></label></div>
    <div class="row"><label>SMTP host (empty: sandbox)<input name="smtpHost" placeholder="smtp.example.com"></label><label>Port<input name="smtpPort" type="number" value="587" size="5"></label><label>TLS<input name="smtpSecure" type="checkbox"></label><button class="primary" type="submit">Add domain</button></div>
  </form>
</section>
<section>
  <h2>Add a phone number</h2>
  <form id="add-number" autocomplete="off">
    <div class="row"><label>Number<input name="e164" required placeholder="+61412345678"></label><label>Country<input name="country" size="3" placeholder="AU"></label><label>Vapi phone id<input name="voiceRef"></label><button class="primary" type="submit">Add number</button></div>
  </form>
  <h2>Add a LinkedIn seat</h2>
  <form id="add-seat" autocomplete="off">
    <div class="row"><label>Unipile account id<input name="accountRef" required></label><label>Name<input name="displayName"></label><label>Time zone<input name="timezone" placeholder="Australia/Sydney"></label><button class="primary" type="submit">Add seat</button></div>
  </form>
</section>
</div>
</div>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;

/** Only this page's own script and style run; data comes from this origin's API. */
const CSP = [
  "default-src 'none'",
  `script-src ${sha256(SCRIPT)}`,
  `style-src ${sha256(STYLE)}`,
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const adminDashboardRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app) => {
  app.get(
    '/admin',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['admin'],
        summary: 'Admin dashboard (HTML): the page asks for the admin API key and uses the admin API (RP-002, ED-004)',
      },
    },
    async (_req, reply) =>
      reply
        .header('cache-control', 'no-store')
        .header('content-security-policy', CSP)
        .header('referrer-policy', 'no-referrer')
        .header('x-content-type-options', 'nosniff')
        .header('x-frame-options', 'DENY')
        .type('text/html; charset=utf-8')
        .send(ADMIN_DASHBOARD_HTML),
  );
};
