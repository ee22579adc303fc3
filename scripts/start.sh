#!/usr/bin/env bash
# npm start: install what is missing, build dist/ if needed, then run the compiled bot (embedded Redis unless REDIS_URL is set).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${REDIS_URL:-}" ]; then bash scripts/ensure.sh; else bash scripts/ensure.sh --redis; fi
node scripts/build.mjs --if-stale # the compiled bot (dist/): built here when missing or older than the sources
exec node bin/aftersales.js start
