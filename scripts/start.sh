#!/usr/bin/env bash
# npm start: install what is missing, then run the bot (embedded Redis unless REDIS_URL is set).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${REDIS_URL:-}" ]; then bash scripts/ensure.sh; else bash scripts/ensure.sh --redis; fi
exec node bin/aftersales.js start
