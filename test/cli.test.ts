import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/aftersales.js', import.meta.url));
const run = (args: string[], input = '') => execFileSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8' });

describe('npx aftersales', () => {
  it('runs the compiled bundle: no tsx and no .ts file is loaded, and the cached models answer as the sources do', () => {
    const loader = fileURLToPath(new URL('./support/load-log.mjs', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', loader, BIN, 'ask', '质保期多久'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const loaded = r.stderr.split('\n').filter((l) => l.startsWith('load ')).map((l) => l.slice(5));
    expect(loaded.some((u) => u.includes('/dist/cli.js'))).toBe(true);
    expect(loaded.filter((u) => /\.[cm]?ts$/.test(u) || /\/tsx\//.test(u))).toEqual([]);
    expect(JSON.parse(r.stdout)).toMatchObject({ answered: true, source: 'warranty-period' });
  });
  it('npx finds the command through the link prepare makes, not through a bin field in package.json', () => {
    // With a `bin` field npm's exec first loads the project's whole dependency tree to install the
    // project into its cache (~0.4 s of every `npx aftersales`); the link in node_modules/.bin is
    // found without that (docs/BENCHMARKS.md, 2026-12-04).
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { bin?: unknown };
    expect(pkg.bin).toBeUndefined();
    const r = spawnSync('npx', ['--no-install', 'aftersales', 'classify'], { input: '投影仪打不开了\n', encoding: 'utf8', cwd: fileURLToPath(new URL('..', import.meta.url)) });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ label: expect.any(String) });
  });
  it('classify prints one JSON line per input line', () => {
    const out = run(['classify'], '实训平台打不开了，全班都登不上去\n谢谢\n\n').trim().split('\n');
    expect(out).toHaveLength(3);
    const first = JSON.parse(out[0]!);
    expect(first).toEqual({ label: 'L1', confidence: expect.any(Number) });
    expect(JSON.parse(out[1]!).label).toBe('none');
    expect(JSON.parse(out[2]!).label).toBe('none');
  });
  it('classify --eval prints precision/recall, accuracy and the confusion matrix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'as-eval-'));
    const f = join(dir, 'set.tsv');
    writeFileSync(f, 'label\ttext\nL1\t服务器挂了，所有人都进不去\nL2\t服务器硬盘报警了\nnone\t谢谢\nconsult\t怎么导出成绩\n');
    const out = run(['classify', '--eval', f]);
    expect(out).toContain('accuracy: 100.0%');
    expect(out).toMatch(/label\s+precision\s+recall\s+support/);
    expect(out).toContain('confusion');
    const json = JSON.parse(run(['classify', '--eval', f, '--json']));
    expect(json).toMatchObject({ n: 4, accuracy: 1, l1l2AsNone: 0 });
  });
  it('unknown commands get the usage and exit code 2', () => {
    expect(() => run(['frobnicate'])).toThrow();
    expect(run(['help'])).toContain('classify');
  });
  it('deadlines --json: working-hours deadlines under the generic 5.3.2.1 policy (holidays, 调休), 7×24 under the contract', () => {
    const due = (at: string, policy?: string, level = 'L3') =>
      JSON.parse(execFileSync(process.execPath, [BIN, 'deadlines', '--level', level, '--at', at, '--json'], { encoding: 'utf8', env: { ...process.env, ...(policy ? { AFTERSALES_POLICY: policy } : { AFTERSALES_POLICY: '' }) } })) as Record<string, string>;
    const generic = 'config/policies/generic-5.3.2.1.yaml';
    expect(due('2026-12-04T17:30', generic).response).toBe('2026-12-07T08:30:00+08:00'); // Friday evening → Monday
    expect(due('2026-12-04T11:30', generic).response).toBe('2026-12-04T14:30:00+08:00'); // across lunch
    expect(due('2026-09-30T17:30', generic).response).toBe('2026-10-08T08:30:00+08:00'); // 国庆
    expect(due('2026-02-13T17:30', generic).response).toBe('2026-02-14T08:30:00+08:00'); // 春节's 调休 Saturday
    expect(due('2026-02-14T17:30', generic).response).toBe('2026-02-24T08:30:00+08:00'); // then the week off
    expect(due('2026-12-04T17:30')).toEqual({ response: '2026-12-04T18:30:00+08:00', arrival: '2026-12-04T19:30:00+08:00', resolution: '2026-12-04T21:30:00+08:00', backup: '2026-12-07T17:30:00+08:00' });
    expect(Object.keys(due('2026-12-04T17:30', undefined, 'consult'))).toEqual(['response']);
  });
  it('an unknown option is named, with the usage and exit code 2, not a stack trace', () => {
    const r = spawnSync(process.execPath, [BIN, 'classify', '--errors'], { encoding: 'utf8', input: '' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Unknown option '--errors'");
    expect(r.stderr).toContain('usage: aftersales');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
