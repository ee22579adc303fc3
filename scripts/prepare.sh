#!/usr/bin/env bash
# npm's `prepare` step (after `npm ci`/`npm install`): puts the project's own CLI on npm's local
# bin path, so `npx aftersales` starts it directly instead of searching the dependency tree
# (~0.3 s), and compiles dist/ when the sources are there (not in the image's dependency stage).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d node_modules/.bin ] || mkdir -p node_modules/.bin; then ln -sf ../../bin/aftersales.js node_modules/.bin/aftersales; fi
if [ -d src ] && [ -d node_modules/esbuild ]; then node scripts/build.mjs --if-stale; fi
# The link is not a package: keep npm's hidden lockfile current (npm trusts it only if nothing in
# node_modules is newer; otherwise every `npx` re-reads the whole tree, ~0.5 s).
if [ -f node_modules/.package-lock.json ]; then touch node_modules/.package-lock.json; fi
