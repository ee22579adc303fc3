// Rewrites README.md's command table from the command registry (test/commands.test.ts checks it).
import { readFileSync, writeFileSync } from 'node:fs';
import { COMMANDS } from '../handlers/commands/registry.ts';
import { withCommandTable } from '../handlers/commands/readme-table.ts';

const path = new URL('../README.md', import.meta.url);
writeFileSync(path, withCommandTable(readFileSync(path, 'utf8'), COMMANDS));
