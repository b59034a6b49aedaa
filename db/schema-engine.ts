/**
 * Prisma's schema engine compiled to WebAssembly, driven through @prisma/adapter-pg.
 * It applies and creates migrations in Prisma's own format (prisma/migrations, the
 * _prisma_migrations table) with no native engine download, so it works offline.
 * `prisma migrate deploy` reads the same files wherever the native engine can be installed.
 */
import { readFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { withDefaultUser } from '../config/database-url.js';
import { projectRoot } from '../config/project-root.js';
import type { MigrationList, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm';

const require = createRequire(import.meta.url);

export const schemaPath = path.join(projectRoot, 'prisma', 'schema.prisma');
export const migrationsDir = path.join(projectRoot, 'prisma', 'migrations');
export const noFilter: SchemaFilter = { externalTables: [], externalEnums: [] };

interface WasmApi {
  instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: unknown } }>;
}

let loaded: Promise<typeof import('@prisma/schema-engine-wasm/schema_engine_bg')> | undefined;

/** The package targets bundlers; under plain Node the .wasm is instantiated by hand. */
async function loadWasm() {
  loaded ??= (async () => {
    const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasmPath = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm')), 'schema_engine_bg.wasm');
    const bytes = await readFile(wasmPath);
    const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const { instance } = await wasmApi.instantiate(bytes, { './schema_engine_bg.js': bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return bg;
  })();
  return loaded;
}

export async function readSchemaFiles() {
  return [{ path: schemaPath, content: await readFile(schemaPath, 'utf8') }];
}

/** Reads prisma/migrations the way the Prisma CLI does. */
export async function readMigrations(dir = migrationsDir): Promise<MigrationList> {
  const lockPath = path.join(dir, 'migration_lock.toml');
  const entries = existsSync(dir) ? (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()) : [];
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const migrationDirectories = await Promise.all(
    entries.map(async (e) => {
      const file = path.join(dir, e.name, 'migration.sql');
      const content = existsSync(file)
        ? ({ tag: 'ok', value: await readFile(file, 'utf8') } as const)
        : ({ tag: 'error', value: `${file} not found` } as const);
      return { path: e.name, migrationFile: { path: 'migration.sql', content } };
    }),
  );
  return {
    baseDir: dir,
    lockfile: { path: lockPath, content: existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/**
 * The engine describes a database through catalog queries that return Postgres's internal
 * "char" type (OID 18), which @prisma/adapter-pg 7.10 does not map. Its values arrive as
 * strings already, so the column is reported as text.
 */
class CatalogFriendlyClient extends pg.Client {
  override query(...args: any[]): any {
    const fix = (res: pg.QueryResult | undefined) => {
      for (const field of res?.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
      return res;
    };
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last];
      args[last] = (err: unknown, res: pg.QueryResult) => callback(err, fix(res));
    }
    const result = (super.query as any)(...args);
    return result && typeof result.then === 'function' ? result.then(fix) : result;
  }
}

/**
 * @prisma/adapter-pg 7.10 runs a migration script by splitting it on every ';', which breaks
 * DO blocks and function bodies. Send the script whole instead: Postgres runs a multi-statement
 * simple query as one implicit transaction, so a migration applies completely or not at all.
 */
type PgDriverAdapter = Awaited<ReturnType<PrismaPg['connect']>>;
function wholeScripts(adapter: PgDriverAdapter): PgDriverAdapter {
  adapter.executeScript = async (script: string) => {
    try {
      await adapter.underlyingDriver().query(script);
    } catch (error) {
      (adapter as unknown as { onError(e: unknown): never }).onError(error);
    }
  };
  return adapter;
}

/**
 * Explicit fields, not a connectionString: a connectionString wins over any `database` given
 * beside it, which would point a "shadow" connection at the real database.
 */
function poolConfigFromUrl(databaseUrl: string): pg.PoolConfig {
  const url = new URL(withDefaultUser(databaseUrl));
  const sslmode = url.searchParams.get('sslmode');
  return {
    host: decodeURIComponent(url.hostname) || undefined,
    port: url.port ? Number(url.port) : undefined,
    user: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined,
    ssl: sslmode && sslmode !== 'disable' ? { rejectUnauthorized: sslmode === 'verify-full' } : undefined,
  };
}

class MigrationPrismaPg extends PrismaPg {
  constructor(private readonly poolConfig: pg.PoolConfig) {
    super({ ...poolConfig, Client: CatalogFriendlyClient } as pg.PoolConfig);
  }

  override async connect() {
    return wholeScripts(await super.connect());
  }

  /**
   * A throwaway database for replaying migrations. The adapter's own version drops it while its
   * pool still holds a connection (the drop fails and the database is left behind); this one
   * closes the pool first and drops with FORCE.
   */
  override async connectToShadowDb() {
    const name = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID()}`;
    const run = async (sql: string) => {
      const admin = new pg.Client(this.poolConfig as pg.ClientConfig);
      await admin.connect();
      try {
        await admin.query(sql);
      } finally {
        await admin.end();
      }
    };
    await run(`CREATE DATABASE "${name}"`);
    const shadow = new PrismaPg({ ...this.poolConfig, database: name, Client: CatalogFriendlyClient } as pg.PoolConfig);
    const adapter = wholeScripts(await shadow.connect());
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    };
    return adapter;
  }
}

/** Opens the engine against `databaseUrl`, runs `fn`, and always frees it. */
export async function withSchemaEngine<T>(databaseUrl: string, fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const bg = await loadWasm();
  const files = await readSchemaFiles();
  const adapter = bindMigrationAwareSqlAdapterFactory(new MigrationPrismaPg(poolConfigFromUrl(databaseUrl)));
  const logs: string[] = [];
  const engine = (await bg.SchemaEngine.new(
    { datamodels: files.map((f) => [f.path, f.content] as [string, string]) },
    (msg: string) => logs.push(msg),
    adapter,
  )) as SchemaEngine;
  try {
    return await fn(engine);
  } finally {
    engine.free();
  }
}

/**
 * The SQL that would bring a database built from prisma/migrations to prisma/schema.prisma,
 * or '' when they agree. The engine replays the migrations into a temporary shadow database.
 */
export async function pendingSchemaChanges(databaseUrl: string): Promise<string> {
  const result = await withSchemaEngine(databaseUrl, async (engine) =>
    engine.diff({
      from: { tag: 'migrations', ...(await readMigrations()) },
      to: { tag: 'schemaDatamodel', files: await readSchemaFiles() },
      script: true,
      exitCode: null,
      filters: noFilter,
    }),
  );
  const script = (result.stdout ?? '').trim();
  return script === '' || /^-- This is an empty migration\.?$/.test(script) ? '' : `${script}\n`;
}

/** Applies every migration in prisma/migrations not yet recorded in _prisma_migrations. */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  const out = await withSchemaEngine(databaseUrl, async (engine) =>
    engine.applyMigrations({ migrationsList: await readMigrations(), filters: noFilter }),
  );
  return out.appliedMigrationNames;
}
