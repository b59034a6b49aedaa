#!/usr/bin/env bash
# `npm start`: the whole stack on embedded defaults (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec node --import tsx scripts/dev-stack.ts "$@"
