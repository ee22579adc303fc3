#!/usr/bin/env node
// Runs the compiled bot (dist/, built by `npm run build`). In a checkout it rebuilds first when a
// source is newer than the build (~3 s), so `npx aftersales` never runs stale code. Plain Node only.
import { existsSync } from 'node:fs';
import v8 from 'node:v8';

if (existsSync(new URL('../scripts/build.mjs', import.meta.url))) {
  const { buildIfStale } = await import('../scripts/build.mjs');
  await buildIfStale();
}
// The bot is a long-running guest on a small shared server: V8's memory-saving mode keeps its
// heap near what it uses instead of growing ahead of the load (peak RSS −35 %, docs/BENCHMARKS.md).
// AFTERSALES_V8_FLAGS replaces it (e.g. "" for V8's defaults).
if (process.argv[2] === 'start') v8.setFlagsFromString(process.env.AFTERSALES_V8_FLAGS ?? '--optimize-for-size');
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; }); // e.g. piped into head
const { main } = await import('../dist/cli.js');
const code = await main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
