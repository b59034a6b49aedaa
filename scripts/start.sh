#!/usr/bin/env bash
# `npm start`: the whole stack on embedded defaults (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
bash scripts/build-web.sh
exec bash scripts/run-compiled.sh scripts/dev-stack.ts "$@"
