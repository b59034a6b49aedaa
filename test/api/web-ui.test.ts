/**
 * The dashboards as served (SYS-006, SYS-007): /app and /admin answer their console's page at
 * every path below them (the browser routes), the scripts and styles it names are served from
 * /assets/, the page holds no inline code and no secret, and every answer carries the security
 * headers with a Content-Security-Policy that allows this origin only. A missing build is a
 * clear 503, never a blank page.
 */
import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { webUiRoutes } from '../../api/web-ui.js';
import { ADMIN_KEY, testConfig, testDb } from '../helpers/context.js';
import { apiBed } from '../helpers/workflow-bed.js';

const config = testConfig();
const db = testDb(config);
const bed = apiBed(config, db);

const get = (url: string) => bed.app.inject({ method: 'GET', url });

describe('dashboards served by the API', () => {
  it.each([
    ['/app', 'Agency OS'],
    ['/app/leads/6f1c2a4e-0000-4000-8000-000000000000', 'Agency OS'],
    ['/admin', 'Agency OS admin'],
    ['/admin/clients/x/y', 'Agency OS admin'],
  ])('SYS-006 SYS-007: %s answers its console page, uncached, with no inline code', async (url, title) => {
    const res = await get(url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain(`<title>${title}</title>`);
    expect(res.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/); // every script is a file
    expect(res.body).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(res.body).not.toMatch(/https?:\/\//); // nothing from another origin
    expect(res.body).not.toContain(ADMIN_KEY);
  });

  it('SYS-006 SYS-007: the files a page names are served from /assets/ with a long cache; others are 404', async () => {
    const html = (await get('/app')).body;
    const files = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    expect(files.some((f) => f.endsWith('.css'))).toBe(true);
    for (const f of files) {
      const res = await get(f);
      expect(res.statusCode, f).toBe(200);
      expect(res.headers['cache-control'], f).toContain('immutable');
    }
    expect((await get('/assets/nope.js')).statusCode).toBe(404);
    expect((await get('/assets/../package.json')).statusCode).toBe(404);
  });

  it.each(['/app', '/v1/me', '/healthz', '/assets/nope.js'])(
    'SYS-010: %s carries the security headers and a same-origin-only CSP',
    async (url) => {
      const res = await get(url);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    },
  );

  it('SYS-006: the API documentation still loads under the policy', async () => {
    expect((await get('/docs')).statusCode).toBeLessThan(400);
    expect((await get('/docs/json')).statusCode).toBe(200);
  });

  it('SYS-006 SYS-007: without a build, /app and /admin say how to build it (503), and nothing else changes', async () => {
    const app = Fastify();
    await app.register(webUiRoutes, { distDir: '/nonexistent/web-dist' });
    for (const url of ['/app', '/admin/clients']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('build-web.sh');
    }
    expect((await app.inject({ method: 'GET', url: '/assets/x.js' })).statusCode).toBe(404);
    await app.close();
  });
});
