#!/usr/bin/env bash
# `npm test`: the whole suite, installing what it needs (node modules, Prisma client, Temporal
# binaries). Needs a Postgres: TEST_DATABASE_URL / DATABASE_URL, else 127.0.0.1:5432, else an
# embedded one. Each run creates its own database and drops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
echo "[test] typecheck"
node_modules/.bin/tsc --noEmit -p .
echo "[test] lint"
node_modules/.bin/eslint .
echo "[test] vitest"
mkdir -p tmp
status=0
node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json=tmp/vitest-report.json "$@" || status=$?
if [ -f tmp/vitest-report.json ]; then
  node -e '
    const r = require("./tmp/vitest-report.json");
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`);
  '
fi
exit $status
