/**
 * The admin dashboard's script (inline in the page; its hash is in the Content-Security-Policy):
 * reads and acts through the admin API only; every value reaches the DOM as text, never as HTML.
 */
// Plain JS, no template literals: it sits inside this file's String.raw.
export const SCRIPT = String.raw`
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
    var used = key();
    var headers = { authorization: 'Bearer ' + used };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' })
      .then(function (res) {
        return res.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = { message: text }; }
          if (res.status === 401) {
            // A late answer to a key already replaced must not sign the new key out.
            if (key() === used) {
              sessionStorage.removeItem(KEY);
              showLogin((data && data.message) || 'The admin API key was refused.');
            }
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
