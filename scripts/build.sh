#!/usr/bin/env bash
# `npm run build`: compiles the runnable processes to dist/ (tsconfig.build.json), only when a
# source file, the generated Prisma client or a tsconfig is newer than the last build.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=dist/.built
# Any TypeScript or JSON file of the project newer than the last build (tsconfig.build.json decides
# what is compiled; this only decides whether to run it). Tests and benchmarks count too: a change
# there costs a needless build of a few seconds, never a stale one.
newer() {
  find . \( -path ./node_modules -o -path ./dist -o -path ./.tools -o -path ./.data -o -path ./tmp -o -path ./.git \) -prune \
    -o \( -name '*.ts' -o -name '*.json' \) -newer "$stamp" -print -quit 2>/dev/null
}
if [ -f "$stamp" ] && [ -z "$(newer)" ]; then
  exit 0
fi
echo "[build] compiling to dist/"
node_modules/.bin/tsc -p tsconfig.build.json
touch "$stamp"
