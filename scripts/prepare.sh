#!/usr/bin/env bash
# npm's `prepare` step (after `npm ci`/`npm install`): puts the project's own CLI on npm's local
# bin path, so `npx aftersales` starts it directly instead of searching the dependency tree
# (~0.3 s), and compiles dist/ when the sources are there (not in the image's dependency stage).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d node_modules/.bin ] || mkdir -p node_modules/.bin; then ln -sf ../../bin/aftersales.js node_modules/.bin/aftersales; fi
if [ -d src ] && [ -d node_modules/esbuild ]; then node scripts/build.mjs --if-stale; fi
