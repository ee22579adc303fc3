#!/usr/bin/env bash
# npm test: install what is missing, type-check, run the whole suite against real redis-servers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure.sh --redis --browser
echo "[test] type-checking…"
npx tsc --noEmit -p .
node scripts/build.mjs --if-stale # tests that start the bot as a process run the compiled entry point
report=$(mktemp)
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' "$report" 2>/dev/null || true
rm -f "$report"
exit "$status"
