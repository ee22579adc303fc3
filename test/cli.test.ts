import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
  it('an unknown option is named, with the usage and exit code 2, not a stack trace', () => {
    const r = spawnSync(process.execPath, [BIN, 'classify', '--errors'], { encoding: 'utf8', input: '' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Unknown option '--errors'");
    expect(r.stderr).toContain('usage: aftersales');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
