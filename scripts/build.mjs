#!/usr/bin/env node
/**
 * npm run build: bundles the bot (src/, handlers/, jobs/) into dist/ with esbuild — one ES module
 * per entry plus shared chunks, npm packages left as imports. One file to load instead of ~200
 * makes the CLI start like a CLI; type-checking stays with `tsc --noEmit` (npm test).
 *
 *   node scripts/build.mjs            build
 *   node scripts/build.mjs --if-stale build only when dist/ is missing or older than the sources
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const ENTRY = join(DIST, 'cli.js');
/** What the build reads: a change to any of these makes dist/ stale. */
const INPUTS = ['src', 'handlers', 'jobs', 'package.json', 'package-lock.json', 'scripts/build.mjs'];

function newestMtime(path) {
  let st;
  try { st = statSync(path); } catch { return 0; }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs; // a deleted file changes the folder
  for (const e of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, e)));
  return newest;
}

/** True when dist/ is missing or a source is newer. A copy without sources (the image) is never stale. */
export function isStale() {
  if (!existsSync(join(ROOT, 'src'))) return false;
  if (!existsSync(ENTRY)) return true;
  const built = statSync(ENTRY).mtimeMs;
  return INPUTS.some((p) => newestMtime(join(ROOT, p)) > built);
}

/**
 * Packages stay imports, but a package's JSON data (chinese-days' holidays) is bundled: the import
 * attribute it needs (`with { type: 'json' }`) does not survive esbuild's externals.
 */
const bundleJson = {
  name: 'bundle-json',
  setup(b) {
    b.onResolve({ filter: /^[^./].*\.json$/ }, (args) => ({ path: createRequire(args.importer).resolve(args.path), external: false }));
  },
};

export async function build() {
  const { build: esbuild } = await import('esbuild');
  const res = await esbuild({
    absWorkingDir: ROOT,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: DIST,
    bundle: true,
    splitting: true, // `aftersales classify` never loads the chat SDKs, BullMQ or fastify
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    plugins: [bundleJson],
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    legalComments: 'none',
    write: false,
    logLevel: 'warning',
  });
  // Each file through a temporary name and a rename, entry last: a CLI started meanwhile sees
  // either the old build or the whole new one, never half a file.
  const keep = new Set();
  const files = [...res.outputFiles].sort((a, b) => Number(a.path === ENTRY) - Number(b.path === ENTRY));
  for (const f of files) {
    mkdirSync(dirname(f.path), { recursive: true });
    const tmp = `${f.path}.${process.pid}.tmp`;
    writeFileSync(tmp, f.contents);
    renameSync(tmp, f.path);
    keep.add(f.path);
  }
  const chunks = join(DIST, 'chunks');
  for (const e of existsSync(chunks) ? readdirSync(chunks) : []) if (!keep.has(join(chunks, e))) rmSync(join(chunks, e), { force: true });
  // Models trained by the previous code are no longer valid: train the shipped ones afresh.
  rmSync(join(DIST, 'models'), { recursive: true, force: true });
  const { warmModels } = await import(`${pathToFileURL(ENTRY).href}?${Date.now()}`);
  await warmModels();
  return files.map((f) => relative(ROOT, f.path));
}

export async function buildIfStale() {
  if (isStale()) {
    process.stderr.write('[build] compiling to dist/…\n');
    await build();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = performance.now();
  if (process.argv.includes('--if-stale')) await buildIfStale();
  else {
    const out = await build();
    process.stderr.write(`[build] ${out.filter((f) => f.endsWith('.js')).length} files in dist/ (${Math.round(performance.now() - t0)} ms)\n`);
  }
}
