#!/usr/bin/env node
// Runs the compiled bot (dist/, built by `npm run build`). In a checkout it rebuilds first when a
// source is newer than the build (~3 s), so `npx aftersales` never runs stale code. Plain Node only.
import { existsSync } from 'node:fs';

if (existsSync(new URL('../scripts/build.mjs', import.meta.url))) {
  const { buildIfStale } = await import('../scripts/build.mjs');
  await buildIfStale();
}
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; }); // e.g. piped into head
const { main } = await import('../dist/cli.js');
const code = await main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
