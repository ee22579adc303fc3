import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/aftersales.js', import.meta.url));
const run = (args: string[], input = '') => execFileSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8' });

describe('npx aftersales', () => {
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
});
