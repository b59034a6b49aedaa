// Prisma CLI configuration (Prisma 7). The CLI is only needed for `prisma generate` here;
// migrations are applied by scripts/db-migrate.ts through the WebAssembly schema engine, and
// `prisma migrate deploy` keeps working wherever the native engine can be installed.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/agency_os' },
});
