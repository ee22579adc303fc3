import { existsSync, readFileSync } from 'node:fs';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';

// There is no Docker engine on the build machines: the Dockerfile is linted here (dockerfile-utils,
// the engine of the Docker language server) and held to the README's steps.
const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
const lines = dockerfile.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));

describe('Dockerfile', () => {
  it('passes the linter with no errors or warnings', () => {
    const problems = validate(dockerfile).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
    expect(problems).toEqual([]);
  });

  it('is multi-stage, installs production deps with npm ci, runs as non-root with a healthcheck', () => {
    expect(lines.filter((l) => /^FROM\s/i.test(l)).length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/RUN npm ci --omit=dev/);
    expect(lines.filter((l) => /^USER\s/i.test(l)).at(-1)).toMatch(/^USER\s+(?!root\b)\w+/);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/readyz/);
    expect(dockerfile).toMatch(/NODE_ENV=production/);
  });

  it('starts the bot the way the README does, and copies only folders that exist', () => {
    expect(lines.find((l) => /^CMD\s/.test(l))).toBe('CMD ["node", "bin/aftersales.js", "start"]');
    expect(readFileSync(new URL('../README.md', import.meta.url), 'utf8')).toContain('npx aftersales start');
    for (const l of lines.filter((x) => /^COPY\s/.test(x) && !x.includes('--from'))) {
      const sources = l.split(/\s+/).slice(1, -1);
      for (const src of sources) expect(existsSync(new URL(`../${src}`, import.meta.url)), `${src} in "${l}"`).toBe(true);
    }
    const ignored = readFileSync(new URL('../.dockerignore', import.meta.url), 'utf8').split('\n');
    for (const must of ['node_modules', '.git', '.env', 'data']) expect(ignored).toContain(must);
  });
});

describe('the image runs the compiled bundle', () => {
  const stages = dockerfile.split(/^FROM\s/m).slice(1);
  const runtime = stages.at(-1)!;
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  const bin = readFileSync(new URL('../bin/aftersales.js', import.meta.url), 'utf8');

  it('builds dist/ in a builder stage and copies only dist/ (no TypeScript) into the runtime stage', () => {
    expect(stages.some((s) => /RUN (node scripts\/build\.mjs|npm run build)/.test(s))).toBe(true);
    expect(runtime).toMatch(/COPY --from=\w+ \/app\/dist \.\/dist/);
    const copied = runtime.split('\n').filter((l) => /^COPY\s/.test(l) && !l.includes('--from')).flatMap((l) => l.split(/\s+/).slice(1, -1));
    for (const src of copied) expect(src, `runtime stage copies ${src}`).not.toMatch(/^(src|handlers|jobs)(\/|$)(?!.*\.html$)/);
    expect(runtime).not.toMatch(/tsx/);
  });

  it('starts bin/aftersales.js, which imports dist/ and never tsx; tsx is a development tool only', () => {
    expect(bin).toMatch(/import\('\.\.\/dist\/cli\.js'\)/);
    expect(bin).not.toMatch(/tsx|\.ts['"]/);
    expect(pkg.dependencies).not.toHaveProperty('tsx');
    expect(pkg.devDependencies).toHaveProperty('tsx');
    expect(pkg.dependencies).not.toHaveProperty('esbuild');
  });
});
