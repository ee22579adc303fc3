import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Vite's caches outside node_modules: a write there makes npm's hidden lockfile look stale, and
  // every `npx aftersales` then re-reads the whole dependency tree (~0.5 s more per command).
  cacheDir: '.cache/vite',
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests spawn their own redis-servers; two cores: keep parallelism modest.
    maxWorkers: 2,
    // Test files share a worker's modules: the classifier and the knowledge base train once per
    // worker instead of once per file (about 5 s each). Tests keep no state in modules.
    isolate: false,
  },
});
