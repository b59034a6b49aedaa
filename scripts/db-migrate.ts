/**
 * `npm run db:migrate`: creates the database if it is missing, applies prisma/migrations through
 * the WebAssembly schema engine (same files and _prisma_migrations table as `prisma migrate
 * deploy`), and makes sure the tenant login role exists (SYS-010).
 */
import { loadConfig } from '../config/index.js';
import { migrateDatabase } from '../db/migrate.js';

const config = loadConfig();
const applied = await migrateDatabase(config.databaseUrl, { appDbPassword: config.appDbPassword });
console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'database is up to date');
