/**
 * The IMAP account of a mailbox an operator adds (SYS-003, ED-004): accepted beside its SMTP
 * account, stored for reading, shown without its password with how its last read went, and left
 * out of the view of a mailbox that is not read. The database is shared with other test files:
 * every row here has a random suffix.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ADMIN_KEY, auth, testConfig, testDb } from '../helpers/context.js';
import { apiBed } from '../helpers/workflow-bed.js';

const config = testConfig();
const db = testDb(config);
const bed = apiBed(config, db);
const admin = auth(ADMIN_KEY);

async function call(method: 'GET' | 'POST', url: string, payload?: object) {
  const res = await bed.app.inject({ method, url, headers: admin, ...(payload ? { payload } : {}) });
  return { status: res.statusCode, body: res.body, json: res.json() as any };
}

describe('admin pool: mailbox IMAP accounts (SYS-003, ED-004)', () => {
  it('SYS-003: an IMAP account is stored for reading, shown without its password with its last read, and absent for a mailbox without one', async () => {
    const name = `imap-${randomUUID().slice(0, 8)}.test`;
    const imapPass = `imap-secret-${randomUUID()}`;
    const created = await call('POST', '/v1/admin/pool/domains', {
      name,
      mailboxes: [
        {
          email: `alex@${name}`,
          smtp: { host: 'smtp.imap.test', port: 587, secure: false, user: `alex@${name}`, pass: 'smtp-pw' },
          imap: { host: 'imap.imap.test', port: 993, secure: true, user: `alex@${name}`, pass: imapPass },
        },
        { email: `sam@${name}`, smtp: { host: 'smtp.imap.test', port: 587, secure: false, user: `sam@${name}`, pass: 'smtp-pw' } },
      ],
    });
    expect(created.status).toBe(201);
    const [alex, sam] = created.json.domain.mailboxes;
    expect(alex.imap).toEqual({ host: 'imap.imap.test', port: 993, secure: true, user: `alex@${name}`, readAt: null, error: null });
    expect(sam).not.toHaveProperty('imap');
    const row = await db.system.mailbox.findUniqueOrThrow({ where: { email: `alex@${name}` } });
    expect(row.imap).toMatchObject({ host: 'imap.imap.test', pass: imapPass });
    expect((await db.system.mailbox.findUniqueOrThrow({ where: { email: `sam@${name}` } })).imap).toBeNull();

    // A failed read shows in the view.
    const at = new Date('2026-12-01T10:00:00.000Z');
    await db.system.mailbox.update({ where: { id: row.id }, data: { imapReadAt: at, imapError: 'auth_failed: IMAP login refused' } });
    const listed = await call('GET', '/v1/admin/pool/domains?status=warming');
    const domain = listed.json.domains.find((d: { name: string }) => d.name === name);
    expect(domain.mailboxes[0].imap).toMatchObject({ readAt: at.toISOString(), error: 'auth_failed: IMAP login refused' });
    for (const body of [created.body, listed.body]) {
      expect(body).not.toContain(imapPass);
      expect(body).not.toMatch(/"pass"/);
    }
  });

  it('SYS-003: an IMAP account missing a field is refused with the field named', async () => {
    const name = `imap-${randomUUID().slice(0, 8)}.test`;
    const res = await call('POST', '/v1/admin/pool/domains', {
      name,
      mailboxes: [{ email: `alex@${name}`, imap: { host: 'imap.imap.test', port: 993, secure: true, user: `alex@${name}` } }],
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain('imap');
    expect(await db.system.domain.findUnique({ where: { name } })).toBeNull();
  });
});
