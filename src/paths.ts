import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project folder (the one with package.json): data files (corpus/, knowledge/, config/, the
 * simulator page) are found from here, whether the code runs from src/ (tsx, tests) or from the
 * bundle in dist/ (production), where `new URL('../corpus/', import.meta.url)` would point elsewhere.
 */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

export const projectPath = (...parts: string[]): string => join(PROJECT_ROOT, ...parts);
