#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npx aftersales` needs no build step.
import { register } from 'tsx/esm/api';

register();
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; }); // e.g. piped into head
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
