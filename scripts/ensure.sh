#!/usr/bin/env bash
# Installs what `npm start` / `npm test` need on a fresh clone: node_modules (npm ci when absent or
# stale) and, when asked with --redis, redis-server (apt-get as root on Debian, else instructions).
set -euo pipefail
cd "$(dirname "$0")/.."

need_redis=0
need_browser=0
for a in "$@"; do
  [ "$a" = "--redis" ] && need_redis=1
  [ "$a" = "--browser" ] && need_browser=1
done

lock_hash() { sha256sum package-lock.json package.json | sha256sum | cut -d' ' -f1; }
stamp=node_modules/.aftersales-installed
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$(lock_hash)" ]; then
  echo "[setup] installing npm packages (npm ci)…" >&2
  npm ci --no-audit --no-fund >&2
  lock_hash > "$stamp"
fi
# Our stamp and links are not packages: keep npm's hidden lockfile current, or every `npx` re-reads
# the whole dependency tree (~0.5 s) to find out (npm trusts it only if nothing in node_modules is newer).
[ -f node_modules/.package-lock.json ] && touch node_modules/.package-lock.json

if [ "$need_redis" = 1 ] && ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "[setup] installing redis-server from Debian's packages…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq redis-server >&2
  else
    cat >&2 <<'MSG'
[setup] redis-server is not installed and cannot be installed automatically here
        (that needs root and apt-get). Install it with one of:
  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y redis-server
  macOS:          brew install redis
  Docker:         docker run -d -p 6379:6379 redis:7 --appendonly yes --maxmemory-policy noeviction --hz 100
                  and start the bot with REDIS_URL=redis://127.0.0.1:6379
MSG
    exit 1
  fi
fi

# The browser tests drive Debian's Chromium (with CJK fonts so Chinese pages render); optional
# outside CI: without it those tests are skipped.
if [ "$need_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "[setup] installing chromium and CJK fonts from Debian's packages…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq chromium fonts-noto-cjk >&2
  else
    echo "[setup] /usr/bin/chromium not found: browser tests will be skipped (sudo apt-get install -y chromium fonts-noto-cjk)" >&2
  fi
fi
