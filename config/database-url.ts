/**
 * Database URLs. The system connection (migrations, worker system work, admin paths) uses
 * DATABASE_URL; client requests use the `agency_app` login role, which is subject to
 * row-level security (SYS-010). APP_DATABASE_URL overrides the derived tenant URL.
 */
import { userInfo } from 'node:os';

export const defaultSystemDatabaseUrl = 'postgresql://127.0.0.1:5432/agency_os';
export const appRoleName = 'agency_app';

export function deriveTenantDatabaseUrl(systemUrl: string, password: string): string {
  const url = new URL(systemUrl);
  url.username = appRoleName;
  url.password = password;
  return url.toString();
}

/** Same server and credentials, another database (tests, embedded setups). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

/** libpq's rule: a URL without a user name means the operating-system user. Made explicit. */
export function withDefaultUser(url: string): string {
  const u = new URL(url);
  if (!u.username) u.username = process.env.PGUSER ?? userInfo().username;
  return u.toString();
}
