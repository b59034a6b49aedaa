#!/usr/bin/env bash
# `npm run build`: compiles the runnable processes to dist/ (tsconfig.build.json), only when a
# source file, the generated Prisma client or a tsconfig is newer than the last build.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=dist/.built
if [ -f "$stamp" ] && [ -z "$(find ./*.ts app api activities services workflows providers db domain config lib scripts \
  bench/support bench/webhooks generated tsconfig.json tsconfig.build.json -newer "$stamp" \
  \( -name '*.ts' -o -name '*.json' \) -print -quit 2>/dev/null)" ]; then
  exit 0
fi
echo "[build] compiling to dist/"
node_modules/.bin/tsc -p tsconfig.build.json
touch "$stamp"
