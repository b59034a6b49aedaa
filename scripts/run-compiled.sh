#!/usr/bin/env bash
# Runs one of the project's processes from dist/ (built first if a source changed) with the
# memory settings of docs/performance.md ("Worker memory"):
#   MALLOC_ARENA_MAX (default 2)   glibc malloc arenas for the many native threads
#   NODE_MEMORY_FLAGS (default --max-semi-space-size=2)   V8's young generation per isolate, in MB
# Usage: bash scripts/run-compiled.sh <entry .ts path> [args...]   e.g. worker.ts, scripts/dev-stack.ts
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
entry="dist/${1%.ts}.js"
shift
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
# shellcheck disable=SC2086 # the flags are a list
exec node ${NODE_MEMORY_FLAGS:---max-semi-space-size=2} "$entry" "$@"
