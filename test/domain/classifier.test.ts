import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifier, HELDOUT_PATH, trainingExamples } from '../../src/classifier-model.ts';
import { evaluate } from '../../src/domain/classifier/evaluate.ts';
import { parseTsv } from '../../src/domain/classifier/tsv.ts';

const c = classifier();
const label = (t: string) => c.classify(t).label;

describe('classifier', () => {
  it('follows the labelling guide on clear cases', () => {
    expect(label('@售后助手 实训平台打不开了，全班都登不上去')).toBe('L1');
    expect(label('系统登录页打不开了，所有人都进不去')).toBe('L1');
    expect(label('服务器硬盘报警了')).toBe('L2');
    expect(label('存储阵列一块盘坏了在降级运行')).toBe('L2');
    expect(label('凭证录入模块打不开')).toBe('L3');
    expect(label('偶尔掉线一下')).toBe('L4');
    expect(label('怎么重置学生密码')).toBe('consult');
    expect(label('希望增加手机端')).toBe('other');
    expect(label('谢谢')).toBe('none');
    expect(label('收到')).toBe('none');
  });
  it('takes a question about a fault as the fault, and "急" alone does not make an L1', () => {
    expect(label('系统打不开了怎么办')).toBe('L1');
    expect(['L3', 'L4']).toContain(label('急！！！32号电脑鼠标坏了'));
  });
  it('never crashes and calls word-less input none', () => {
    for (const t of ['', '   ', '😭😭😭', '？？？', '#', 'a'.repeat(100_000)]) {
      const r = c.classify(t);
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
    }
    expect(label('😭😭😭')).toBe('none');
  });
  it('is deterministic', () => {
    const again = new (c.constructor as new (e: ReturnType<typeof trainingExamples>) => typeof c)(trainingExamples());
    for (const t of ['服务器挂了', '怎么导出成绩', '投影仪坏了']) expect(again.classify(t)).toEqual(c.classify(t));
  });
  it('meets the targets on the held-out set it was never trained on', () => {
    const heldout = parseTsv(readFileSync(HELDOUT_PATH, 'utf8'));
    const train = new Set(trainingExamples().map((e) => e.text));
    expect(heldout.filter((e) => train.has(e.text))).toEqual([]);
    const ev = evaluate(heldout, label);
    expect(ev.n).toBeGreaterThanOrEqual(150);
    expect(ev.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(ev.l1l2Recall).toBeGreaterThanOrEqual(0.97);
    expect(ev.l1l2AsNone).toBe(0);
  });
});
