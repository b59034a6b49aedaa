#!/usr/bin/env bash
# Builds the dashboards (web/: Vite + Preact) into web/dist, only when a file under web/ (or the
# lock file) is newer than the last build. Called by `npm start` and `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=web/dist/.built
newer() {
  find web package-lock.json \( -path web/dist -o -path web/node_modules \) -prune -o -type f -newer "$stamp" -print -quit 2>/dev/null
}
if [ -f "$stamp" ] && [ -z "$(newer)" ]; then
  exit 0
fi
echo "[build] dashboards (vite) to web/dist/"
node_modules/.bin/vite build --config web/vite.config.ts --logLevel warn
touch "$stamp"
