#!/usr/bin/env bash
# `npm test`: the whole suite, installing what it needs (node modules, Prisma client, Temporal
# binaries). Needs a Postgres: TEST_DATABASE_URL / DATABASE_URL, else 127.0.0.1:5432, else an
# embedded one. Each run creates its own database and drops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
# Chromium (Debian's package) for the dashboards' browser tests; without it those tests are skipped.
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "[test] installing Chromium (apt) for the browser test"
  { timeout 300 apt-get install -y -qq chromium || { timeout 300 apt-get update -qq && timeout 300 apt-get install -y -qq chromium; }; } >/dev/null 2>&1 \
    || echo "[test] Chromium could not be installed: the browser test will be skipped"
fi
echo "[test] typecheck"
node_modules/.bin/tsc --noEmit -p .
node_modules/.bin/tsc -p web
echo "[test] lint"
node_modules/.bin/eslint .
npm run --silent lint:cycles
echo "[test] format"
node_modules/.bin/prettier --check . >/dev/null || { node_modules/.bin/prettier --check . ; echo "[test] run npm run format"; exit 1; }
bash scripts/build-web.sh
echo "[test] vitest"
mkdir -p tmp
status=0
# The resilience project (test/resilience) runs only when asked: `npm run test:resilience`, or a
# `--project resilience` / a file of it given here.
projects=()
case " $* " in
  *" --project"*|*"test/resilience"*|*".resilience."*) ;;
  *) projects=(--project unit --project integration) ;;
esac
node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json=tmp/vitest-report.json "${projects[@]}" "$@" || status=$?
if [ -f tmp/vitest-report.json ]; then
  node -e '
    const r = require("./tmp/vitest-report.json");
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`);
  '
fi
exit $status
