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

const STYLE = String.raw`
:root{--ok:#1a7f37;--warning:#b58100;--critical:#c62828;--muted:#667085;--line:#e4e7ec;--bg:#f8f9fb}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2939;background:var(--bg);font-size:14px}
header{display:flex;align-items:center;gap:1rem;padding:.8rem 1.2rem;background:#101828;color:#fff}
header h1{font-size:1.1rem;margin:0;flex:1}
main{max-width:78rem;margin:0 auto;padding:1rem 1.2rem 3rem}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1rem;margin:0 0 1rem}
h2{font-size:1rem;margin:0 0 .6rem}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:.8rem;text-transform:uppercase;letter-spacing:.02em}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
button{font:inherit;padding:.35rem .8rem;border:1px solid #98a2b3;border-radius:6px;background:#fff;cursor:pointer}
button.primary{background:#1d4ed8;border-color:#1d4ed8;color:#fff}
button:disabled{opacity:.5;cursor:default}
input,select{font:inherit;padding:.3rem .45rem;border:1px solid #98a2b3;border-radius:6px;min-width:0}
label{display:flex;flex-direction:column;gap:.15rem;font-size:.8rem;color:var(--muted)}
.row{display:flex;flex-wrap:wrap;gap:.6rem;align-items:flex-end;margin-bottom:.5rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:1rem}
.bar{position:relative;width:10rem;height:.7rem;background:var(--line);border-radius:4px;overflow:hidden}
.bar .fill{height:100%}
.level-ok{color:var(--ok)} .level-warning{color:var(--warning)} .level-critical{color:var(--critical)}
.fill.level-ok{background:var(--ok)} .fill.level-warning{background:var(--warning)} .fill.level-critical{background:var(--critical)}
.badge{display:inline-block;padding:0 .45rem;border-radius:9px;font-size:.78rem;font-weight:600;border:1px solid currentColor}
.good,.ok,.ready{color:var(--ok)} .warning,.warming,.paused{color:var(--warning)} .critical,.retired,.restricted,.checkpoint{color:var(--critical)}
.muted{color:var(--muted)}
#flash{min-height:1.4rem;margin:0 0 .8rem}
#flash.error{color:var(--critical)} #flash.info{color:var(--ok)}
#login{max-width:26rem;margin:4rem auto}
[hidden]{display:none!important}
.grow{flex:1}
.pre{white-space:pre-line}
`;

// Plain JS, no template literals: it sits inside this file's String.raw.
const SCRIPT = String.raw`
(function () {
  'use strict';
  var KEY = 'agencyOs.adminKey';
  var TYPES = [['domains', 'Domains'], ['mailboxes', 'Mailboxes'], ['phoneNumbers', 'Phone numbers'], ['linkedinSeats', 'LinkedIn seats']];
  var clientNames = {};

  function $(id) { return document.getElementById(id); }
  function el(tag, props) {
    var e = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        var v = props[k];
        if (v === undefined || v === null) return;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = String(v);
        else if (k.indexOf('on') === 0) e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === undefined || c === null) continue;
      e.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function td(value, cls) { return el('td', { class: cls }, value === null || value === undefined || value === '' ? '\u2014' : value); }
  function badge(value) { return el('span', { class: 'badge ' + String(value).replace(/[^a-z_-]/gi, '') }, value); }
  function pct(rate) { return typeof rate === 'number' ? (rate * 100).toFixed(2) + '%' : null; }
  function when(isoString) { if (!isoString) return null; var d = new Date(isoString); return isNaN(d.getTime()) ? String(isoString) : d.toLocaleString(); }
  function safeUrl(u) { try { var x = new URL(String(u)); return x.protocol === 'https:' || x.protocol === 'http:' ? x.href : null; } catch (e) { return null; } }
  function clientLabel(id) { return id ? (clientNames[id] || id) : null; }
  function flash(message, kind) { var f = $('flash'); f.textContent = message || ''; f.className = kind || ''; }

  function key() { return sessionStorage.getItem(KEY); }
  function showLogin(message) {
    $('app').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message || '';
    $('key').focus();
  }

  function api(method, path, body) {
    var headers = { authorization: 'Bearer ' + key() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' })
      .then(function (res) {
        return res.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = { message: text }; }
          if (res.status === 401) {
            sessionStorage.removeItem(KEY);
            showLogin((data && data.message) || 'The admin API key was refused.');
            throw new Error('unauthorized');
          }
          if (!res.ok) {
            var err = new Error((data && data.message) || ('HTTP ' + res.status));
            err.status = res.status;
            throw err;
          }
          return data;
        });
      });
  }

  function renderPool(pool) {
    var body = clear($('pool-body'));
    TYPES.forEach(function (t) {
      var b = pool.types[t[0]];
      var level = b.level;
      var fill = el('div', { class: 'fill level-' + level });
      fill.style.width = (b.bufferPercent === null ? 100 : Math.max(0, Math.min(100, b.bufferPercent))) + '%';
      body.appendChild(el('tr', { 'data-type': t[0] },
        el('td', null, t[1]),
        td(b.readyUnallocated, 'num'),
        td(b.allocated, 'num'),
        td(b.pending, 'num'),
        td(b.bufferPercent === null ? 'no allocations' : b.bufferPercent + '%', 'num'),
        el('td', null, el('div', { class: 'bar', title: 'buffer = ready / allocated; warning under 40%, critical under 20%' }, fill)),
        el('td', null, el('span', { class: 'badge level-' + level }, level)),
        td(b.shortfall, 'num')));
    });
    $('pool-meta').textContent = 'Measured ' + when(pool.takenAt) + ' \u00b7 ' + pool.purchases.open + ' open purchase(s) \u00b7 ' + pool.openAlerts + ' open alert(s)';
    var links = clear($('seat-links'));
    if (!pool.purchases.awaitingOperator.length) links.appendChild(el('li', { class: 'muted' }, 'No LinkedIn seat is waiting for an operator.'));
    pool.purchases.awaitingOperator.forEach(function (p) {
      var url = safeUrl(p.url);
      var expired = p.expiresAt && new Date(p.expiresAt).getTime() < Date.now();
      links.appendChild(el('li', null,
        url ? el('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, 'Connect a LinkedIn account') : el('span', null, String(p.url)),
        ' ', el('span', { class: 'muted' }, '(' + p.tag + (p.expiresAt ? (expired ? ', expired ' : ', valid until ') + when(p.expiresAt) : '') + ')')));
    });
  }

  function renderDomains(domains) {
    var body = clear($('domains-body'));
    if (!domains.length) body.appendChild(el('tr', null, el('td', { colspan: 10, class: 'muted' }, 'No domains.')));
    domains.forEach(function (d) {
      var h = d.health;
      body.appendChild(el('tr', { 'data-domain': d.name },
        el('td', null, d.name),
        el('td', null, badge(d.status)),
        td(d.heatScore, 'num'),
        el('td', null, badge(d.healthClass), d.criticalSince ? el('div', { class: 'muted' }, 'critical since ' + when(d.criticalSince)) : null),
        td(h ? pct(h.bounceRate) : null, 'num'),
        td(h ? pct(h.complaintRate) : null, 'num'),
        td(h ? h.sent : null, 'num'),
        td(h ? h.day : null),
        td(d.mailboxes.map(function (m) { return m.email + ' (' + m.status + ', ' + m.dailyLimit + '/day)'; }).join('\n'), 'pre'),
        td(clientLabel(d.allocatedTo))));
    });
  }

  function renderNumbers(numbers) {
    var body = clear($('numbers-body'));
    if (!numbers.length) body.appendChild(el('tr', null, el('td', { colspan: 5, class: 'muted' }, 'No phone numbers.')));
    numbers.forEach(function (n) {
      body.appendChild(el('tr', null, el('td', null, n.e164), td(n.country), el('td', null, badge(n.status)), td(n.voiceRef), td(clientLabel(n.allocatedTo))));
    });
  }

  function renderSeats(seats) {
    var body = clear($('seats-body'));
    if (!seats.length) body.appendChild(el('tr', null, el('td', { colspan: 6, class: 'muted' }, 'No LinkedIn seats.')));
    seats.forEach(function (s) {
      body.appendChild(el('tr', null, el('td', null, s.displayName || s.accountRef), el('td', null, badge(s.status)), el('td', null, badge(s.health)),
        td(s.acceptRate === null ? null : pct(s.acceptRate), 'num'), td(s.timezone), td(clientLabel(s.allocatedTo))));
    });
  }

  function renderAlerts(alerts) {
    var body = clear($('alerts-body'));
    if (!alerts.length) body.appendChild(el('tr', null, el('td', { colspan: 5, class: 'muted' }, 'No open alerts.')));
    alerts.forEach(function (a) {
      var action;
      if (a.acknowledgedAt) {
        action = el('span', { class: 'muted' }, 'acknowledged ' + when(a.acknowledgedAt) + (a.acknowledgedBy ? ' by ' + a.acknowledgedBy : ''));
      } else {
        action = el('button', {
          type: 'button',
          onclick: function (ev) {
            ev.target.disabled = true;
            api('POST', '/v1/admin/alerts/' + encodeURIComponent(a.id) + '/acknowledge', { by: 'dashboard' })
              .then(function () { flash('Alert acknowledged.', 'info'); return refresh(); })
              .catch(function (e) { ev.target.disabled = false; if (e.message !== 'unauthorized') flash(e.message, 'error'); });
          },
        }, 'Acknowledge');
      }
      body.appendChild(el('tr', { 'data-alert': a.id }, el('td', null, badge(a.severity)), td(a.kind), td(a.message), td(when(a.createdAt)), el('td', null, action)));
    });
  }

  function refresh() {
    var health = $('domain-health').value;
    return Promise.all([
      api('GET', '/v1/admin/pool'),
      api('GET', '/v1/admin/pool/domains' + (health ? '?health=' + encodeURIComponent(health) : '')),
      api('GET', '/v1/admin/pool/phone-numbers'),
      api('GET', '/v1/admin/pool/linkedin-seats'),
      api('GET', '/v1/admin/alerts?state=open&limit=200'),
      api('GET', '/v1/admin/clients').catch(function () { return { clients: [] }; }),
    ]).then(function (r) {
      clientNames = {};
      (r[5].clients || []).forEach(function (c) { clientNames[c.id] = c.name; });
      $('login').hidden = true;
      $('app').hidden = false;
      renderPool(r[0]);
      renderDomains(r[1].domains);
      renderNumbers(r[2].phoneNumbers);
      renderSeats(r[3].linkedinSeats);
      renderAlerts(r[4].alerts);
      $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    }).catch(function (e) { if (e.message !== 'unauthorized') flash(e.message, 'error'); });
  }

  function value(form, name) { var f = form.elements.namedItem(name); return f && typeof f.value === 'string' ? f.value.trim() : ''; }

  function submitter(formId, build, done) {
    var form = $(formId);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var req;
      try { req = build(form); } catch (e) { flash(e.message, 'error'); return; }
      var button = form.querySelector('button[type=submit]');
      button.disabled = true;
      api('POST', req.path, req.body)
        .then(function (res) { form.reset(); flash(done(res), 'info'); return refresh(); })
        .catch(function (e) { if (e.message !== 'unauthorized') flash(e.message, 'error'); })
        .then(function () { button.disabled = false; });
    });
  }

  $('login-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var k = $('key').value.trim();
    if (!k) return;
    sessionStorage.setItem(KEY, k);
    $('key').value = '';
    flash('');
    refresh();
  });
  $('logout').addEventListener('click', function () { sessionStorage.removeItem(KEY); showLogin(''); });
  $('refresh').addEventListener('click', function () { flash(''); refresh(); });
  $('domain-health').addEventListener('change', function () { refresh(); });
  $('run-monitor').addEventListener('click', function (ev) {
    ev.target.disabled = true;
    api('POST', '/v1/admin/pool/monitor/run')
      .then(function () { flash('Pool monitor started; refresh in a moment to see its results.', 'info'); })
      .catch(function (e) { if (e.message !== 'unauthorized') flash(e.message, 'error'); })
      .then(function () { ev.target.disabled = false; });
  });

  submitter('add-domain', function (form) {
    var name = value(form, 'name').toLowerCase();
    var host = value(form, 'smtpHost');
    var mailboxes = [1, 2].map(function (i) {
      var email = value(form, 'email' + i).toLowerCase();
      if (!email) return null;
      var m = { email: email };
      var sender = value(form, 'sender' + i);
      if (sender) m.senderName = sender;
      if (host) {
        var pass = form.elements.namedItem('pass' + i).value;
        if (!pass) throw new Error('give the SMTP password of ' + email + ' (or leave the SMTP host empty for sandbox sending)');
        m.smtp = { host: host, port: Number(value(form, 'smtpPort') || '587'), secure: form.elements.namedItem('smtpSecure').checked, user: email, pass: pass };
      }
      return m;
    }).filter(Boolean);
    var body = { name: name, status: value(form, 'status') || 'warming', mailboxes: mailboxes };
    var heat = value(form, 'heatScore');
    if (heat) body.heatScore = Number(heat);
    return { path: '/v1/admin/pool/domains', body: body };
  }, function (res) { return 'Domain ' + res.domain.name + ' added with ' + res.domain.mailboxes.length + ' mailbox(es).'; });

  submitter('add-number', function (form) {
    var body = { e164: value(form, 'e164') };
    if (value(form, 'country')) body.country = value(form, 'country');
    if (value(form, 'voiceRef')) body.voiceRef = value(form, 'voiceRef');
    return { path: '/v1/admin/pool/phone-numbers', body: body };
  }, function (res) { return 'Number ' + res.phoneNumber.e164 + ' added.'; });

  submitter('add-seat', function (form) {
    var body = { accountRef: value(form, 'accountRef') };
    if (value(form, 'displayName')) body.displayName = value(form, 'displayName');
    if (value(form, 'timezone')) body.timezone = value(form, 'timezone');
    return { path: '/v1/admin/pool/linkedin-seats', body: body };
  }, function (res) { return 'LinkedIn seat ' + (res.linkedinSeat.displayName || res.linkedinSeat.accountRef) + ' added.'; });

  setInterval(function () { if (key() && !$('app').hidden) refresh(); }, 60000);
  if (key()) refresh(); else showLogin('');
})();
`;

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
